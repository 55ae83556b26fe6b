// symgd playground: the presets, each with a short lesson (what to try, what to notice), and
// every method's own default hyperparameters.
"use strict";

const SymgdLessons = (() => {
  // Defaults per method: plain gd takes the lecture's 0.1; Newton its full step 1 (the step
  // that solves a quadratic at once); the rest the usual textbook values (Goodfellow, Bengio &
  // Courville, "Deep Learning", §8.3-8.5: beta = 0.9, rho = 0.9, Adam's 0.9 and 0.999).
  const DEFAULTS = {
    gd: { lr: 0.1 },
    momentum: { lr: 0.05, beta: 0.9 },
    nesterov: { lr: 0.05, beta: 0.9 },
    adagrad: { lr: 0.5 },
    rmsprop: { lr: 0.05, rho: 0.9 },
    adam: { lr: 0.1, beta1: 0.9, beta2: 0.999 },
    newton: { lr: 1 },
  };
  const HYPER = {  // what each method's extra knobs mean
    beta: "momentum \u03b2 (how much velocity is kept)",
    rho: "\u03c1 (decay of the mean square of the gradient)",
    beta1: "\u03b21 (decay of the mean gradient)",
    beta2: "\u03b22 (decay of the mean square)",
  };
  const PRESETS = [
    { name: "x\u00b2, lr 0.1: converges", expr: "x**2", x0: "5", method: "gd", params: { gd: { lr: 0.1 } },
      lesson: "Press Run. Each step multiplies x by 1 \u2212 2\u00b7lr = 0.8, so the error shrinks by a fifth every step and the run converges in 73 steps. The red tick on the lr slider is 2/L = 1: drag the lr toward it and watch the path start to bounce." },
    { name: "x\u00b2, lr 1 = 2/L: oscillates", expr: "x**2", x0: "5", method: "gd", params: { gd: { lr: 1 } },
      lesson: "At lr = 2/L each step sends x to \u2212x: the run bounces between 5 and \u22125 forever, a 2-cycle the page names. Try lr 0.99 (it creeps in) and 1.01 (it creeps out)." },
    { name: "x\u00b2, lr 2: diverges", expr: "x**2", x0: "5", method: "gd", params: { gd: { lr: 2 } },
      lesson: "Above 2/L every step multiplies the error by |1 \u2212 2\u00b7lr| = 3. Watch the bounces grow; the loss chart is a straight line going up on its log axis. Press \u201cfit view\u201d to see every iterate." },
    { name: "x\u00b2 + 10y\u00b2: across the contours", expr: "x**2 + 10*y**2", x0: "4, 1.5", method: "gd", params: { gd: { lr: 0.09 } },
      lesson: "Each step leaves at a right angle to the contour line it starts on (the axes have equal scales, so the angle is true). Near 2/L = 0.1 the path zig-zags across the narrow valley; tick \u201crace methods\u201d to see momentum and Adam do better." },
    { name: "x\u00b3: a degenerate critical point", expr: "x**3", x0: "1", method: "gd", params: { gd: { lr: 0.1 } },
      lesson: "f\u2032(0) = 0, yet 0 is neither a minimum nor a maximum. From x = 1 the run slows to a crawl near 0, where the slope vanishes; start at \u22120.1 and it runs away downhill." },
    { name: "sin x: which minimum?", expr: "sin(x)", x0: "1", method: "gd", params: { gd: { lr: 0.3 } },
      lesson: "sin has a minimum every 2\u03c0. Drag the start across a maximum and the run switches to the other valley: gradient descent finds the minimum of the basin it starts in." },
    { name: "saddle x\u00b2 \u2212 y\u00b2", expr: "x**2 - y**2", x0: "1, 0.01", method: "gd", params: { gd: { lr: 0.1 } },
      lesson: "Started almost on the ridge, the run first slides toward the saddle at the origin, then the tiny y grows by 20 % a step and it escapes downhill. Start at y = 0 exactly and it stops at the saddle." },
    { name: "Rosenbrock's valley", expr: "(1 - x)**2 + 100*(y - x**2)**2", x0: "-1.5, 2", method: "momentum",
      params: { gd: { lr: 0.001 }, momentum: { lr: 0.0005, beta: 0.9 }, adam: { lr: 0.05 } }, view: { x: [-2, 2], y: [-1, 3] },
      lesson: "A long, curved, almost flat valley: gd must use a tiny lr and crawls. Momentum's velocity (the arrow \u03b2v) carries it along the floor. Try Newton with its full step 1, or turn the surface in 3-D." },
    { name: "Himmelblau: a race", expr: "(x**2 + y - 11)**2 + (x + y**2 - 7)**2", x0: "0, 0", method: "gd",
      params: { gd: { lr: 0.01 }, momentum: { lr: 0.002, beta: 0.9 }, adam: { lr: 0.1 } }, race: ["gd", "momentum", "adam", "newton"],
      lesson: "Four minima, one maximum, four saddles. The methods race from (0, 0), each with its own settings: Newton takes its full step and lands in a few steps; see where each one ends, and drag the start to change the winner." },
    { name: "x\u00b2 + 2y\u00b2 on the circle (Lagrange)", expr: "x^2 + 2y^2", subject_to: ["x^2 + y^2 = 1"], x0: "0.6, 0.6",
      method: "gd", params: { gd: { lr: 0.03 } },
      lesson: "Stewart \u00a714.8 example 2: the extreme values of x\u00b2 + 2y\u00b2 on the circle are the minimum 1 at (\u00b11, 0) and the maximum 2 at (0, \u00b11), the four Lagrange points, where the dashed level curve touches the circle and \u2207f \u2225 \u2207g. The path may leave the circle: the augmented Lagrangian pulls it back, raising the penalty \u03c1 and learning \u03bb. Tick \u201cgradient ascent\u201d to reach a maximum." },
    { name: "x\u00b2 + 2y\u00b2 on the disk (projected)", expr: "x^2 + 2y^2", subject_to: ["x^2 + y^2 <= 1"], x0: "0.3, 0.5",
      method: "gd", ascent: true, params: { gd: { lr: 0.1 } },
      lesson: "Stewart \u00a714.8 example 3, by gradient ascent: each step climbs, and when it leaves the disk the projection pulls it straight back to the nearest point of the circle. The run ends at (0, 1), the absolute maximum 2. Untick ascent: descent ends inside, at the minimum 0 at (0, 0), where no constraint is active." },
    { name: "a box: Stewart 14.7 example 7", expr: "x^2 - 2xy + 2y", subject_to: ["0 <= x <= 3", "0 <= y <= 2"], x0: "2.5, 0.5",
      method: "gd", params: { gd: { lr: 0.1 } }, view: { x: [-0.6, 3.6], y: [-0.6, 2.6] },
      lesson: "The candidates on the closed rectangle: the interior critical point (1, 1) (a saddle), the point (2, 2) of the top edge where f is stationary along it, and the four corners. Comparing f there gives the absolute maximum 9 at (3, 0) and the minimum 0 at two points, (0, 0) and (2, 2). Projected gd clips every step to the rectangle. Start at (0.5, 0.5), left of the saddle, and it ends at the other minimum (0, 0); start exactly at the saddle (1, 1) and it never moves: \u2207f = 0 there." },
    { name: "x + y inside a disk, above a parabola (KKT)", expr: "x + y", subject_to: ["x^2 + y^2 <= 1", "y >= x^2 - 1"], x0: "0.2, 0.3",
      method: "gd", params: { gd: { lr: 0.04 } },
      lesson: "Two inequalities: the region inside the circle (1) and above the parabola (2). f has no critical point, so the extrema are on the boundary: the KKT point (\u22121/2, \u22123/4) on the parabola gives the absolute minimum \u22125/4, the point (\u221a2/2, \u221a2/2) on the circle the maximum \u221a2. The corners (\u00b11, 0), where the curves cross, and (0, \u22121), where they touch and their gradients are parallel, are candidates too. The augmented Lagrangian learns each multiplier; the constraint that is not active keeps its multiplier at 0. Tick \u201cgradient ascent\u201d for the maximum." },
    { name: "x\u00b3 \u2212 3x on [\u22122, 3]", expr: "x^3 - 3x", subject_to: ["-2 <= x <= 3"], x0: "-1.2", method: "gd",
      params: { gd: { lr: 0.1 } },
      lesson: "The closed interval method: the candidates are the critical points \u22121, 1 and the ends \u22122, 3. f(3) = 18 is the absolute maximum, and the minimum \u22122 is reached twice, at \u22122 and at 1. From \u22121.2 descent runs into the end \u22122 and stops there, pinned by the projection; from 0.5 it ends at 1." },
    { name: "log x: the edge of the domain", expr: "log(x)", x0: "5", method: "gd", params: { gd: { lr: 0.1 } },
      lesson: "log x decreases forever toward x = 0 and is undefined beyond it. Steps that would leave the domain are shortened; the run stops at the edge and says so. A smaller lr does not help: there is no minimum to find." },
  ];
  const DATA_LESSONS = {
    full: "Full batch: every update uses all the points, so the loss falls smoothly and, below 2/L, reaches the least-squares line. Push lr past the red tick and the loss explodes.",
    minibatch: "Mini-batches: each update uses a few points, so the loss chart is noisy and the line jitters around the least-squares one; a smaller lr or a bigger batch calms it.",
    sgd: "Stochastic: one point per update. Many cheap, noisy steps per epoch; with a constant lr the loss never settles on the exact line, it hovers near it.",
  };
  return { DEFAULTS, HYPER, PRESETS, DATA_LESSONS };
})();

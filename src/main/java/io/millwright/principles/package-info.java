/**
 * The reference model's principles as features. "One layer at a time": {@link
 * io.millwright.principles.RouteLayerPolicy} starts a route only when its layer (route property
 * {@code layer}) is switched on ({@code millwright.layers.<n>.enabled}). "Industry solutions":
 * {@link io.millwright.principles.SolutionTemplates} switches on the bundles of {@code
 * config/solutions/<name>/} named by {@code millwright.solution}. "Align with business outcomes":
 * {@code GET /api/outcomes} reports KPIs per outcome (route property {@code outcome}) per hour from the
 * live event feed. Depends on {@code model} only.
 */
package io.millwright.principles;

/**
 * Operations: keeps the integrator's flows in {@code routes/} running. Loads every Camel YAML DSL
 * file in the routes folder once Camel has started, watches the folder, and validates a created
 * or changed file before it swaps that file's routes, so a broken save leaves the running routes
 * as they were. Exposes {@link io.millwright.ops.RouteFiles} (per-file status for operators) and
 * its settings {@link io.millwright.ops.RouteFilesProperties}. Depends on Camel and Spring only;
 * it must not depend on any other Millwright capability, and it never touches routes it did not
 * load from a file (Java routes, other files' routes).
 */
package io.millwright.ops;

/**
 * Operations: the platform's error policies (route configurations every flow opts into by
 * {@code routeConfigurationId}), route-file loading with validated hot reload, and status for
 * operators. Depends on {@code tracking} (where failures are parked) and {@code model}.
 */
package io.millwright.ops;

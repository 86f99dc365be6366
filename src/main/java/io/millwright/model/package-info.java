/**
 * The shared kernel: canonical event records, their CloudEvents 1.0 envelope, closed sets as
 * enums, and the validation error every capability throws for bad input. No Spring beans here,
 * and no dependency on any other Millwright package.
 */
package io.millwright.model;

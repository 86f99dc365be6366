/**
 * Message tracking: the dead-letter store (what could not be processed, as it arrived, with its
 * reason) and resubmission. Exposes {@link io.millwright.tracking.DeadLetterStore}, the route
 * {@code direct:tracking-dead-letter} that every error policy dead-letters to, the route
 * {@code direct:tracking-park} that stores the single items a flow sets aside, and
 * {@link io.millwright.tracking.DeadLetterResubmitter}. Depends on {@code model} only.
 */
package io.millwright.tracking;

package io.millwright.ops;

/**
 * Whether anyone listens on a broker address right now: a queue, a subscription or a divert bound
 * to it, directly or through a wildcard. Publishers of telemetry ask it before sending a message
 * that would reach nobody: on a multicast address a message without a binding is dropped by the
 * broker, so not sending it changes nothing a subscriber sees, and saves the transfer and the
 * broker's work (docs/benchmarks.md, "Telemetry at plant scale").
 *
 * <p>Only a broker the hub runs itself can answer cheaply (the embedded Artemis); without such a
 * bean, publishers send as usual.
 */
@FunctionalInterface
public interface AddressListeners {

    /**
     * @param address a broker address, e.g. {@code millwright.events.signal}
     * @return false only when the broker knows that no binding would take a message sent there now;
     *     true when one would, or when it cannot tell
     */
    boolean any(String address);
}

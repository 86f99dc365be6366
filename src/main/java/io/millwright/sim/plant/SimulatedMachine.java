package io.millwright.sim.plant;

import java.util.Random;

/**
 * One machine's behaviour, advanced one tick at a time. Running most of the time; now and then
 * idle (starved or blocked) or in setup; occasionally its vibration starts to climb and, once it
 * reaches the ISO 10816-3 "damage" boundary of 7.1 mm/s, the machine goes down, is repaired (the
 * vibration drops back) and passes through setup before it runs again. Counters only grow while
 * running. All randomness comes from one seeded {@link Random}, so a seed replays a run.
 *
 * <p>Not thread-safe: {@link PlantSimulator} advances and reads it under its own lock.
 */
final class SimulatedMachine {

    enum State {
        RUNNING("running"),
        IDLE("idle"),
        DOWN("down"),
        SETUP("setup");

        final String label;

        State(String label) {
            this.label = label;
        }
    }

    /** ISO 10816-3 zone C/D boundary for medium machines on rigid foundations, mm/s RMS. */
    static final double VIBRATION_DAMAGE = 7.1;

    private static final double AMBIENT_TEMPERATURE = 24.0;
    private static final double RUNNING_TEMPERATURE = 62.0;
    private static final double RUNNING_VIBRATION = 2.0;
    private static final double STANDSTILL_VIBRATION = 0.3;

    private final int line;
    private final int machine;
    private final String orderId;
    private final String operation;
    private final Random random;

    private State state = State.RUNNING;
    private int ticksInState;
    private boolean degrading;
    private long goodCount;
    private long scrapCount;
    private double temperature;
    private double vibration = RUNNING_VIBRATION;

    SimulatedMachine(int line, int machine, String orderId, String operation, long seed) {
        this.line = line;
        this.machine = machine;
        this.orderId = orderId;
        this.operation = operation;
        this.random = new Random(seed);
        this.temperature = RUNNING_TEMPERATURE - 5 + random.nextDouble() * 5;
    }

    /** One tick: maybe change state, then produce (when running), then move the analogue values. */
    void advance() {
        ticksInState++;
        State next = nextState();
        if (next != state) {
            state = next;
            ticksInState = 0;
        }
        if (state == State.RUNNING) {
            goodCount += random.nextInt(4);
            if (random.nextDouble() < 0.04) {
                scrapCount++;
            }
        }
        moveTemperature();
        moveVibration();
    }

    private State nextState() {
        return switch (state) {
            case RUNNING -> {
                if (degrading && vibration >= VIBRATION_DAMAGE) {
                    yield State.DOWN;
                }
                if (!degrading && random.nextDouble() < 1.0 / 150) {
                    degrading = true;
                }
                double r = random.nextDouble();
                if (r < 1.0 / 120) {
                    yield State.IDLE;
                }
                if (r < 1.0 / 120 + 1.0 / 300) {
                    yield State.SETUP;
                }
                yield State.RUNNING;
            }
            case IDLE -> ticksInState >= 4 && random.nextDouble() < 1.0 / 8 ? State.RUNNING : State.IDLE;
            case DOWN -> {
                if (ticksInState >= 10 && random.nextDouble() < 1.0 / 10) {
                    degrading = false; // repaired
                    yield State.SETUP;
                }
                yield State.DOWN;
            }
            case SETUP -> ticksInState >= 6 && random.nextDouble() < 1.0 / 6 ? State.RUNNING : State.SETUP;
        };
    }

    private void moveTemperature() {
        double target = state == State.RUNNING ? RUNNING_TEMPERATURE + (degrading ? 8 : 0) : AMBIENT_TEMPERATURE;
        temperature += (target - temperature) * 0.05 + random.nextGaussian() * 0.15;
    }

    private void moveVibration() {
        if (state == State.RUNNING && degrading) {
            vibration += 0.15 + random.nextDouble() * 0.1;
            return;
        }
        double target = switch (state) {
            case RUNNING -> RUNNING_VIBRATION;
            case IDLE, SETUP -> STANDSTILL_VIBRATION;
            case DOWN -> 0.0;
        };
        vibration = Math.max(0.0, vibration + (target - vibration) * 0.3 + random.nextGaussian() * 0.05);
    }

    int line() {
        return line;
    }

    int machine() {
        return machine;
    }

    MachineSnapshot snapshot() {
        return new MachineSnapshot(
                line,
                machine,
                orderId,
                operation,
                state.label,
                goodCount,
                scrapCount,
                Math.round(temperature * 100) / 100.0,
                Math.round(vibration * 100) / 100.0);
    }
}

package dev.engram.store;

/**
 * The Hebbian rule that strengthens an association each time its concept and trace are bound
 * together ("fire together, wire together"): {@code w <- w + eta * (1 - w)}, starting from 0.
 * The weight thus stays in [0, 1), approaches 1 with repetition, and the first binding at rate
 * eta gives weight eta. Saturation keeps a much-repeated pair from drowning every other vote
 * in recall, which a plain counter would do; the raw count is kept beside it.
 */
public final class Hebbian {
    private Hebbian() {
    }

    public static double strengthen(double weight, double rate) {
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("Hebbian rate must be in (0, 1]: " + rate);
        }
        return weight + rate * (1 - weight);
    }
}

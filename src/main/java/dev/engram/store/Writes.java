package dev.engram.store;

/**
 * Where units of work run: a {@link Store} runs each in a unit of its own; {@link #within} runs
 * them all inside one unit already open, so that a use case of several steps (a bind of several
 * passes) is stored whole or not at all while its steps keep their own code.
 */
public interface Writes {

    /** Runs {@code work}: in a new unit of work, or in the open one this stands for. */
    <T> T write(Store.Work<T> work);

    /** Every work runs in {@code transaction}, and is committed (or abandoned) with its unit. */
    static Writes within(Transaction transaction) {
        return new Writes() {
            @Override
            public <T> T write(Store.Work<T> work) {
                return work.run(transaction);
            }
        };
    }
}

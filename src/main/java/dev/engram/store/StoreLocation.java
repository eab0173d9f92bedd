package dev.engram.store;

/**
 * Where a store lives, before it is opened: what {@link Stores#at} makes of a {@code --store}
 * value. Commands that may create a store (encode, dim on files) read and check their inputs
 * first and create it only then, so that bad input leaves nothing behind.
 */
public interface StoreLocation {

    /** The location as a person would name it in a message. */
    String describe();

    /** Whether a store exists there. */
    boolean exists();

    /** Opens the store there; it is an error ({@code STORE_UNAVAILABLE}) if there is none. */
    Store open();

    /** Opens the store there, creating an empty one if there is none. */
    Store openOrCreate();
}

package dev.engram.store.embedded;

import dev.engram.store.Store;
import dev.engram.store.Stores;

import java.io.IOException;
import java.time.Duration;

/**
 * The child process of {@link SharingTest}: holds a store as a reader ({@code read}) or inside a
 * unit of work ({@code write}, which stores one event), says so on stdout, and lets go when its
 * standard input ends.
 */
public final class HoldStore {
    private HoldStore() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("engram.command", "engram hold-" + args[1]);
        try (Store store = Stores.at(args[0], Duration.ofSeconds(30)).open()) {
            if (args[1].equals("read")) {
                store.spaces();
                holdUntilStdinEnds();
            } else {
                store.write(tx -> {
                    long event = tx.createEvent("held", null, null);
                    holdUntilStdinEnds();
                    return event;
                });
            }
        }
    }

    private static void holdUntilStdinEnds() {
        System.out.println("holding");
        System.out.flush();
        try {
            while (System.in.read() >= 0) {
                // Wait for the parent to close our standard input.
            }
        } catch (IOException e) {
            // The parent went away: let go.
        }
    }
}

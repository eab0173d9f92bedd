package dev.engram.store;

import dev.engram.EngramException;

/**
 * What a space name may be, the same for every backend: a space's name also names its model's
 * files (the embedded store keeps them under {@code models/SPACE/}), so it must be usable as one
 * path segment anywhere.
 */
public final class SpaceRules {
    public static final int MAX_NAME_LENGTH = 200;

    private SpaceRules() {
    }

    /** Not blank, no {@code /} or {@code \}, no leading {@code .}, at most {@value #MAX_NAME_LENGTH} characters. */
    public static String requireValidName(String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH || name.contains("/")
                || name.contains("\\") || name.startsWith(".")) {
            throw EngramException.invalidInput("invalid space name '" + name + "': not blank, no '/', '\\' or"
                    + " leading '.', at most " + MAX_NAME_LENGTH + " characters");
        }
        return name;
    }
}

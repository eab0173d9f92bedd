package dev.engram.encode;

import dev.engram.store.Space;

import java.io.InputStream;

/**
 * What a modality needs to know to read inputs for a space.
 *
 * @param space            the space they go to; null for a new one, whose input shape the first
 *                         input decides
 * @param shape            a new space's input shape as the user wrote it ({@code CxHxW} for
 *                         images), or null for the first input's
 * @param refuseOtherSizes whether inputs whose size differs from the space's are refused (recall
 *                         cues without {@code --resize}) instead of resized
 * @param stdin            what {@code -} reads
 */
public record Reading(Space space, String shape, boolean refuseOtherSizes, InputStream stdin) {

    /** Inputs to encode into {@code space} (null: a new space of {@code shape}, null: the first input's). */
    public static Reading inputs(Space space, String shape, InputStream stdin) {
        return new Reading(space, shape, false, stdin);
    }

    /** Cues to recall from in {@code space}. */
    public static Reading cues(Space space, boolean resize, InputStream stdin) {
        return new Reading(space, null, !resize, stdin);
    }
}

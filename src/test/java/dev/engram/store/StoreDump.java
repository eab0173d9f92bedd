package dev.engram.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Everything a store holds, read through the Store contract and written out as text, one record
 * per line with its ids and times: two stores hold the same memory when their dumps are equal.
 * Model files are shown by path and SHA-256. The store's location is left out.
 */
public final class StoreDump {
    private StoreDump() {
    }

    public static String of(Store store) {
        StringBuilder out = new StringBuilder();
        for (Space s : store.spaces()) {
            out.append(s).append('\n');
            for (SpaceVersion known : store.versions(s)) {
                out.append(known).append('\n');
                int version = known.version();
                if (version != s.modelVersion()) {
                    store.vectors(s, version).values().forEach(v -> out.append("v").append(version).append(' ')
                            .append(v.traceId()).append(' ').append(Arrays.toString(v.vector())).append(' ')
                            .append(v.surprise()).append('\n'));
                }
                if (store.models().exists(s.name(), version)) {
                    String files = store.models().read(s.name(), version, dir -> files(s.name(), version, dir));
                    out.append(files);
                }
            }
            store.forEachTrace(s, t -> out.append(t.id()).append(' ').append(t.spaceId()).append(' ')
                    .append(t.sourceLabel()).append(' ').append(t.contentHash()).append(' ')
                    .append(Arrays.toString(t.vector())).append(' ').append(t.surprise()).append(' ')
                    .append(t.createdAt()).append(' ').append(t.content()).append('\n'));
            List<Long> ids = new java.util.ArrayList<>();
            store.forEachTrace(s, t -> ids.add(t.id()));
            new TreeMap<>(store.associationsOf(ids)).forEach((trace, list) -> list.stream()
                    .sorted((a, b) -> Long.compare(a.conceptId(), b.conceptId()))
                    .forEach(a -> out.append(a).append('\n')));
        }
        store.forEachEvent(e -> out.append(e).append('\n'));
        for (Map.Entry<Long, List<Long>> e : new TreeMap<>(store.eventTraces(null)).entrySet()) {
            out.append("event ").append(e.getKey()).append(" perceived ").append(e.getValue()).append('\n');
        }
        store.concepts().forEach(c -> out.append(c).append('\n'));
        store.dimReports().forEach(r -> out.append(r).append('\n'));
        out.append(store.highestIds()).append('\n');
        return out.toString();
    }

    private static String files(String space, int version, Path dir) throws IOException {
        StringBuilder out = new StringBuilder();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                out.append("model ").append(space).append(" v").append(version).append(' ')
                        .append(dir.relativize(file)).append(' ').append(sha256(Files.readAllBytes(file)))
                        .append('\n');
            }
        }
        return out.toString();
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

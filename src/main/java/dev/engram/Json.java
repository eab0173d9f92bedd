package dev.engram;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.ToNumberPolicy;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;

import java.io.IOException;
import java.time.Instant;

/** The Gson instances engram writes with: compact for JSON Lines, pretty for files people read. */
public final class Json {
    /** Numbers read into untyped maps stay what they were written as: 5 a Long, 0.1 (or 5.0) a Double. */
    public static final Gson LINES = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues()
            .setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE)
            .registerTypeAdapter(Instant.class, new InstantAdapter().nullSafe()).create();
    public static final Gson PRETTY = new GsonBuilder().disableHtmlEscaping().setPrettyPrinting()
            .serializeSpecialFloatingPointValues().registerTypeAdapter(Instant.class, new InstantAdapter().nullSafe())
            .create();

    /** Instants as ISO-8601 text ({@code 2026-12-07T07:28:02.763211Z}), as people and pandas read them. */
    private static final class InstantAdapter extends TypeAdapter<Instant> {
        @Override
        public void write(JsonWriter out, Instant value) throws IOException {
            out.value(value.toString());
        }

        @Override
        public Instant read(JsonReader in) throws IOException {
            return Instant.parse(in.nextString());
        }
    }

    private Json() {
    }
}

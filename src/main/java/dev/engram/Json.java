package dev.engram;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.ToNumberPolicy;

/** The Gson instances engram writes with: compact for JSON Lines, pretty for files people read. */
public final class Json {
    /** Numbers read into untyped maps stay what they were written as: 5 a Long, 0.1 (or 5.0) a Double. */
    public static final Gson LINES = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues()
            .setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE).create();
    public static final Gson PRETTY = new GsonBuilder().disableHtmlEscaping().setPrettyPrinting()
            .serializeSpecialFloatingPointValues().create();

    private Json() {
    }
}

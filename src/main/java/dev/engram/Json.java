package dev.engram;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/** The Gson instances engram writes with: compact for JSON Lines, pretty for files people read. */
public final class Json {
    public static final Gson LINES = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues()
            .create();
    public static final Gson PRETTY = new GsonBuilder().disableHtmlEscaping().setPrettyPrinting()
            .serializeSpecialFloatingPointValues().create();

    private Json() {
    }
}

package org.prunelab.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one JSON mapping used for events, manifests and result files. */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .findAndAddModules()
            // strict about types (a string where a number belongs is an error), tolerant of new fields
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // a count is a whole number: 1.5 epochs is refused, not truncated to 1
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private Json() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    public static String pretty(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    /** Parses JSON into a type; any syntax or type error becomes an IllegalArgumentException with the reason. */
    public static <T> T read(String json, Class<T> type) {
        String what = type.getSimpleName();
        if (json == null || json.isBlank()) {
            throw new IllegalArgumentException("empty record: a " + what + " is a JSON object");
        }
        T value;
        try {
            value = MAPPER.readValue(json, type);
        } catch (ValueInstantiationException e) {
            // a value our own types refused (an unknown method, say): their message is the reason, not Jackson's
            Throwable reason = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
            throw new IllegalArgumentException("invalid " + what + " JSON: " + (reason == e
                    ? e.getOriginalMessage() : reason.getMessage()));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid " + what + " JSON: " + e.getOriginalMessage());
        }
        if (value == null) {
            throw new IllegalArgumentException("invalid " + what + " JSON: null; a " + what + " is a JSON object");
        }
        return value;
    }

    public static <T> T read(byte[] json, Class<T> type) {
        return read(new String(json, java.nio.charset.StandardCharsets.UTF_8), type);
    }
}

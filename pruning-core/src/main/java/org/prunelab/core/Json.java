package org.prunelab.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
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
        } catch (MismatchedInputException e) {
            // a value of the wrong type: say which field wants what, not which Java type failed to coerce
            String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                    : "[" + r.getIndex() + "]").collect(java.util.stream.Collectors.joining(".")).replace(".[", "[");
            String wanted = wanted(e.getTargetType());
            boolean missing = String.valueOf(e.getOriginalMessage()).contains("null");
            throw new IllegalArgumentException("invalid " + what + " JSON: " + (field.isEmpty()
                    ? "a " + what + " is a JSON object" : wanted == null ? e.getOriginalMessage()
                    : "'" + field + "' " + (missing ? "is required: " : "must be ") + wanted));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid " + what + " JSON: " + e.getOriginalMessage());
        }
        if (value == null) {
            throw new IllegalArgumentException("invalid " + what + " JSON: null; a " + what + " is a JSON object");
        }
        return value;
    }

    private static String wanted(Class<?> type) {
        if (type == null) {
            return null;
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return null;
    }

    public static <T> T read(byte[] json, Class<T> type) {
        return read(new String(json, java.nio.charset.StandardCharsets.UTF_8), type);
    }
}

package org.prunelab.runner.tools;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} pairs and {@code --flag} switches from a command line; anything else is an error. */
public final class CliArgs {
    private final Map<String, String> values = new HashMap<>();

    public CliArgs(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || args[i].length() == 2) {
                throw new IllegalArgumentException("expected --name value or --flag, got '" + args[i] + "'");
            }
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            values.put(args[i].substring(2), flag ? "true" : args[++i]);
        }
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public boolean flag(String name) {
        return Boolean.parseBoolean(values.getOrDefault(name, "false"));
    }

    public int getInt(String name, int fallback) {
        return has(name) ? Integer.parseInt(values.get(name)) : fallback;
    }

    /** The integer given for {@code name}, or empty where none was. */
    public java.util.Optional<Integer> optionalInt(String name) {
        return has(name) ? java.util.Optional.of(getInt(name, 0)) : java.util.Optional.empty();
    }

    /** The number given for {@code name}, or empty where none was. */
    public java.util.Optional<Double> optionalDouble(String name) {
        return has(name) ? java.util.Optional.of(getDouble(name, 0)) : java.util.Optional.empty();
    }

    public long getLong(String name, long fallback) {
        return has(name) ? Long.parseLong(values.get(name)) : fallback;
    }

    public double getDouble(String name, double fallback) {
        return has(name) ? Double.parseDouble(values.get(name)) : fallback;
    }
}

package org.prunelab.runner;

/**
 * A whole number the runner reads from an environment variable, within a range: unset or blank gives the default,
 * anything else outside the range (a fraction, a word, a number too large) is refused with the variable's name, its
 * range and the value given.
 */
record EnvNumber(String name, int fallback, int min, int max) {
    EnvNumber {
        if (fallback < min || fallback > max) {
            throw new IllegalArgumentException(name + ": default " + fallback + " outside " + min + " to " + max);
        }
    }

    /** The variable's value in this process's environment. */
    int read() {
        return parse(System.getenv(name));
    }

    int parse(String value) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max + ", not '"
                + value + "'");
    }
}

package org.prunelab.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the project checkout is, and the files the build leaves there for the runner. */
public record LabHome(Path root) {

    /** From LAB_HOME, else the working directory or its parent (tests run inside lab-runner/). */
    public static LabHome locate() {
        String env = System.getenv("LAB_HOME");
        Path start = env != null ? Path.of(env) : Path.of("").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("lab-runner/pom.xml"))) {
                return new LabHome(p.toAbsolutePath().normalize());
            }
        }
        throw new IllegalStateException("cannot find the project checkout from " + start + " (set LAB_HOME)");
    }

    public Path serviceJar(String service) {
        Path jar = root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with ./mvnw package -DskipTests");
        }
        return jar;
    }

    /** The Kafka jars (and the kafka-broker module's log configuration) for the broker's child process. */
    public String brokerClasspath() {
        return root.resolve("kafka-broker/target/classes") + ":" + read(root.resolve("kafka-broker/target/broker-classpath.txt"));
    }

    /** The project's JVM flags as a java argument: the checkout's jvm.options, their one home. */
    public String jvmOptions() {
        return "@" + root.resolve("jvm.options");
    }

    public Path dataDir() {
        String env = System.getenv("LAB_DATA_DIR");
        return env != null ? Path.of(env) : root.resolve("data");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(file + " is missing: build the project first (./mvnw install -DskipTests)", e);
        }
    }
}

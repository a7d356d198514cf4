package org.prunelab.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A JVM this runner starts, with its output in a log file, stopped with the runner (also on Ctrl-C). */
public final class ChildProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    /** The children still to stop when this JVM exits; null once it has begun to exit. */
    private static List<ChildProcess> live = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildProcess::closeAll, "stop-children"));
    }

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Stops every child, in parallel, and refuses new ones from then on: a supervisor that saw a child stop during
     * the exit would otherwise start it again, and nothing would stop that one (found: trainers left running after
     * a killed bin/run).
     */
    private static void closeAll() {
        List<ChildProcess> all;
        synchronized (ChildProcess.class) {
            all = live;
            live = null;
        }
        stopAll(all, java.time.Duration.ofSeconds(20));
    }

    /**
     * SIGTERM to all at once, then SIGKILL to any still running after {@code grace}: they stop side by side (a
     * parallel stream ran only two at a time on two cores, one after another in practice).
     */
    public static void stopAll(List<ChildProcess> children, java.time.Duration grace) {
        children.forEach(c -> c.process.destroy());
        long deadline = System.nanoTime() + grace.toNanos();
        for (ChildProcess c : children) {
            c.close(java.time.Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
    }

    /** Starts {@code java <args>} with this JVM's java and extra environment. */
    public static ChildProcess startJava(String name, List<String> args, Map<String, String> env, Path log) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        pb.environment().putIfAbsent("OMP_NUM_THREADS", "1");
        pb.environment().putIfAbsent("OPENBLAS_NUM_THREADS", "1");
        synchronized (ChildProcess.class) {
            if (live == null) {
                throw new IllegalStateException("not starting " + name + ": this JVM is exiting");
            }
            try {
                ChildProcess child = new ChildProcess(name, pb.start(), log);
                live.removeIf(c -> !c.isAlive());
                live.add(child);
                return child;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + name, e);
            }
        }
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code once exited (128 + n when killed by signal n), -1 while running. */
    public int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** SIGKILL, as a crash would. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, then SIGKILL after 20 s. */
    @Override
    public void close() {
        close(java.time.Duration.ofSeconds(20));
    }

    /** SIGTERM, then SIGKILL after {@code grace}. */
    public void close(java.time.Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package org.prunelab.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
    /** How long a SIGTERM gets before SIGKILL. */
    private volatile java.time.Duration grace = java.time.Duration.ofSeconds(20);
    /** Stopped after the others at exit (the broker: the services' clients close cleanly while it is up). */
    private volatile boolean last;

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
        stopAll(all.stream().filter(c -> !c.last).toList());
        stopAll(all.stream().filter(c -> c.last).toList());
    }

    /**
     * SIGTERM to all at once, then SIGKILL to each still running after its grace: they stop side by side (a parallel
     * stream ran only two at a time on two cores, one after another in practice).
     */
    public static void stopAll(List<ChildProcess> children) {
        children.forEach(c -> c.process.destroy());
        long start = System.nanoTime();
        for (ChildProcess c : children) {
            c.close(c.grace.minusNanos(System.nanoTime() - start));
        }
    }

    /** Marks this child to be stopped after the others when this JVM exits. */
    public ChildProcess stopLast() {
        this.last = true;
        return this;
    }

    /** Sets the time a SIGTERM gets before SIGKILL (20 s unless set). */
    public ChildProcess grace(java.time.Duration grace) {
        this.grace = grace;
        return this;
    }

    /**
     * How a child shares the CPU with the evaluators. An evaluator times inference on every core; the others' own
     * wake-ups while it does (consumer polls, heartbeats, scrapes) took 15-20 % of a core in all, measured with
     * {@code top} during a run's timing, and at 2 threads each one holds up a timed pass.
     */
    public enum Priority {
        /** An evaluator: the default priority. */
        TIMING,
        /**
         * The broker, trainers, pruner and Prometheus: {@link #BACKGROUND_NICE} lower, so that they wait while an
         * evaluator computes and run as before when it does not (CPU priority only matters between busy tasks).
         */
        BACKGROUND
    }

    /**
     * The {@code nice} increment of {@link Priority#BACKGROUND} children: {@code PRUNELAB_BACKGROUND_NICE}, 19 (the
     * lowest priority) unless set (0: all children at one priority). With an idle pipeline beside a program timing 20
     * dense passes round-robin on both cores (40 rounds, three alternations), the 20 medians spread 2.4-3.8 % with
     * the other processes at 19 and 3.5-5.0 % at 10; CPU priority only matters between busy tasks, so the trainer
     * trains as fast as before whenever no evaluator times.
     */
    static final EnvNumber NICE_SETTING = new EnvNumber("PRUNELAB_BACKGROUND_NICE", 19, 0, 19);
    static final int BACKGROUND_NICE = NICE_SETTING.read();

    /** {@code cmd} as a child of {@code priority} runs it: through {@code nice} for background children. */
    static List<String> command(List<String> cmd, Priority priority) {
        Path nice = Path.of("/usr/bin/nice");
        if (priority == Priority.TIMING || BACKGROUND_NICE == 0 || !Files.isExecutable(nice)) {
            return cmd;
        }
        List<String> all = new ArrayList<>(List.of(nice.toString(), "-n", Integer.toString(BACKGROUND_NICE)));
        all.addAll(cmd);
        return all;
    }

    /** Starts {@code java <args>} with this JVM's java and extra environment. */
    public static ChildProcess startJava(String name, List<String> args, Map<String, String> env, Path log,
                                         Priority priority) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command(cmd, priority)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        pb.environment().putIfAbsent("OMP_NUM_THREADS", "1");
        pb.environment().putIfAbsent("OPENBLAS_NUM_THREADS", "1");
        // OpenBLAS's threads sleep right after a gemm instead of spinning into the next timed pass (bin/java-env)
        pb.environment().putIfAbsent("OPENBLAS_THREAD_TIMEOUT", "4");
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

    /** SIGTERM, then SIGKILL after its grace (20 s unless set). */
    @Override
    public void close() {
        close(grace);
    }

    /** SIGTERM, then SIGKILL after {@code grace}. */
    public void close(java.time.Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(Math.max(0, grace.toMillis()), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

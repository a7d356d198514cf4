package org.prunelab.runner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.prunelab.core.Json;
import org.prunelab.runner.tools.CliArgs;
import org.prunelab.core.events.EvaluationEvent;
import org.prunelab.core.events.PrunedVariantEvent;
import org.prunelab.core.events.Topics;
import org.prunelab.core.events.TrainedModelEvent;
import org.prunelab.core.events.TrainingProgress;
import org.prunelab.core.events.TrainingRequest;
import org.prunelab.core.inference.TimingPolicy;
import org.prunelab.core.lottery.Lottery;
import org.prunelab.core.model.Mlp;
import org.prunelab.core.model.FineTuning;
import org.prunelab.core.model.TrainingConfig;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.pruning.Percentage;
import org.prunelab.core.store.ArtifactStore;
import org.prunelab.runner.report.Conclusions;
import org.prunelab.runner.report.ReportWriter;

/**
 * The one command (bin/run): starts a local broker and the three services, posts a training request as a user
 * would, shows progress, prints and writes the results, and stops everything it started (also on Ctrl-C).
 * With --keep-running it stays up for further requests posted to the broker, printing each run's table.
 */
public final class RunMain {
    private static final TrainingConfig STUDY = TrainingConfig.defaults("mnist");
    private static final TrainingConfig QUICK = TrainingConfig.quick("mnist");
    private static final String USAGE = String.format(Locale.ROOT, """
            usage: bin/run [--quick] [--dataset mnist|fashion-mnist] [--epochs %d] [--hidden %s]
                           [--percentages %s] [--methods weight,neuron(,global,random)] [--seed %d] [--train-limit N]
                           [--repetitions %d] [--warmups %d] [--kafka-port 9092] [--prometheus-port 9090 (0: none)]
                           [--evaluators 1] [--trainers 1] [--keep-running] [--run-id ID] [--no-baseline]
                           [--max-restarts %d] [--seeds 1,2,3] [--fine-tune [EPOCHS]] [--fine-tune-rate %s]
                           [--lottery [--rounds %d] [--rate %s] [--rewind ITERATIONS] [--test-every %d]]
              --quick          %d epoch(s) on %,d training images and %d timing repetitions: a few minutes
            """, STUDY.epochs(), csv(STUDY.hiddenSizes()),
            csv(Percentage.DEFAULTS.stream().map(Percentage::label).toList()), STUDY.seed(),
            TimingPolicy.STUDY.repetitions(), TimingPolicy.STUDY.warmups(), Pipeline.DEFAULT_MAX_RESTARTS,
            FineTuning.DEFAULT_LEARNING_RATE, Lottery.DEFAULT_ROUNDS, Lottery.DEFAULT_RATE, Lottery.DEFAULT_TEST_EVERY,
            QUICK.epochs(), QUICK.trainLimit(), TimingPolicy.QUICK.repetitions()) + """
              --no-baseline    skip the networks of the neuron-pruned sizes trained from scratch (trained by default)
              --evaluators N   run N evaluator instances in one consumer group (the topics have 4 partitions)
              --trainers N     run N trainers in one consumer group sharing the training jobs, each with
                               cores / N threads
              --seeds S1,S2    run the whole study once per seed; results as mean +- sd over the seeds
              --fine-tune [E]  also retrain every pruned variant with its mask fixed for E epochs (default %d)
              --lottery        the lottery-ticket experiment instead of the pruning grid: per seed (default %s)
                               the dense model (%d epochs unless --epochs), then --rounds rounds each pruning
                               --rate of the remaining hidden weights by magnitude, rewinding the survivors to
                               their initial values (or to iteration --rewind) and training again; controls at
                               every round: the same mask reinitialised, a random mask, one-shot pruning with and
                               without %d epoch of fine-tuning, a dense network of as many weights from scratch.
                               Two trainers, timing at 1 thread with 1 repetition, unless said otherwise;
                               with --quick: seeds 42,43, 3 rounds, 1 epoch on 12,000 images
              --keep-running   stay up after the first run for requests posted to the broker (Ctrl-C stops)
              --max-restarts N a service that exits is restarted (its work is still on its topic) up to N times
            or:    bin/run --results RUN_ID [--bootstrap 127.0.0.1:9092] [--store store] [--out runs]
              prints and writes the results and report of a run on a pipeline that is already running, once
              complete (--store: the artifact store the run's model is in; --out: where runs/RUN_ID/ goes)
            or:    bin/run --post '{"runId":"r1","epochs":2}' [--bootstrap 127.0.0.1:9092]
              checks a training request and posts it to a pipeline that is already running
            or:    bin/run --report runs/RUN_ID/results.json
              writes the report of a finished run again (charts, conclusions) from its results and the stored model
            """.formatted(FineTuning.DEFAULT_EPOCHS, csv(Lottery.DEFAULT_SEEDS), Lottery.DEFAULT_EPOCHS,
            Lottery.DEFAULT_FINE_TUNE_EPOCHS);

    private static String csv(List<?> values) {
        return values.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
    }

    public static void main(String[] argv) {
        CliArgs a;
        TrainingRequest request;
        try {
            a = new CliArgs(argv);
            if (a.flag("help")) {
                System.out.print(USAGE);
                return;
            }
            if (a.has("results")) {
                results(a);
                return;
            }
            if (a.has("post")) {
                post(a);
                return;
            }
            if (a.has("report")) {
                // the report of a finished run again, from its results.json and the model in the store
                Path json = Path.of(a.get("report", ""));
                report(ResultsTable.read(json), json.toAbsolutePath().getParent().getParent(), store(a));
                return;
            }
            request = request(a);
        } catch (IllegalArgumentException e) {
            System.err.println("bin/run: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        run(a, request);
    }

    private static TrainingRequest request(CliArgs a) {
        TrainingConfig d = a.flag("quick") ? QUICK : STUDY;
        boolean lottery = a.flag("lottery");
        // a lottery request's own defaults (epochs, seeds) hold unless given
        Integer epochs = null;
        if (a.has("epochs") || !lottery || a.flag("quick")) {
            epochs = a.getInt("epochs", d.epochs());
        }
        Long seed = a.has("seeds") || (lottery && !a.has("seed")) ? null : a.getLong("seed", d.seed());
        return new TrainingRequest(a.get("run-id", null), a.get("dataset", d.dataset()), epochs, null,
                a.has("hidden") ? ints(a.get("hidden", "")) : null, seed,
                null,
                a.getInt("train-limit", d.trainLimit()),
                a.has("methods") ? Arrays.stream(a.get("methods", "").split(",")).map(String::trim).map(Method::parse)
                        .toList() : null,
                a.has("percentages") ? doubles(a.get("percentages", "")) : null, !a.flag("no-baseline"),
                a.has("seeds") ? longs(a.get("seeds", "")) : lottery && seed == null && a.flag("quick")
                        ? Lottery.QUICK_SEEDS : null, fineTuneEpochs(a),
                a.has("fine-tune-rate") ? a.getDouble("fine-tune-rate", FineTuning.DEFAULT_LEARNING_RATE) : null,
                lottery ? new Lottery(a.has("rounds") || a.flag("quick")
                        ? a.getInt("rounds", Lottery.QUICK_ROUNDS) : null,
                        a.has("rate") ? a.getDouble("rate", 0) : null, a.has("rewind") ? a.getInt("rewind", 0) : null,
                        // a quick epoch is 188 batches: test within it too
                        a.has("test-every") || a.flag("quick")
                                ? a.getInt("test-every", Lottery.QUICK_TEST_EVERY) : null) : null)
                .complete();
    }

    /** --fine-tune alone: the default epochs; --fine-tune E: E epochs; absent: none. */
    private static Integer fineTuneEpochs(CliArgs a) {
        if (!a.has("fine-tune")) {
            return null;
        }
        String v = a.get("fine-tune", "");
        return v.isEmpty() || v.equals("true") ? FineTuning.DEFAULT_EPOCHS : a.getInt("fine-tune", 0);
    }

    private static void run(CliArgs a, TrainingRequest request) {
        boolean quick = a.flag("quick");
        LabHome home = LabHome.locate();
        Map<String, String> env = new HashMap<>();
        TimingPolicy timing = quick ? TimingPolicy.QUICK : TimingPolicy.STUDY;
        boolean lottery = request.lottery() != null;
        // the lottery's question is accuracy: its many networks are timed once each, at one thread
        env.put("LAB_TIMING_WARMUPS", Integer.toString(a.getInt("warmups", lottery ? 0 : timing.warmups())));
        int repetitions = a.getInt("repetitions", lottery ? 1 : timing.repetitions());
        env.put("LAB_TIMING_REPETITIONS", Integer.toString(repetitions));
        // --repetitions N (and the lottery's single pass): exactly N; else the policy's fewest to most
        env.put("LAB_TIMING_MAX_REPETITIONS", Integer.toString(a.has("repetitions") || lottery ? repetitions
                : timing.maxRepetitions()));
        env.put("LAB_TIMING_PRECISION", Double.toString(timing.precision()));
        if (lottery && System.getenv("LAB_TIMING_THREADS") == null) {
            env.put("LAB_TIMING_THREADS", "1");
        }
        Path runs = checkoutPath(a, "out", "runs");
        Duration timeout = Duration.ofMinutes(a.getInt("timeout-minutes", 180));
        int trainers = a.getInt("trainers", lottery ? 2 : 1);
        if (trainers < 1) {
            throw new IllegalArgumentException("--trainers must be 1 or more");
        }
        if (trainers > 1) {
            // the trainers share the cores: each trains its jobs on its share of them
            env.put("LAB_TRAINING_THREADS", Integer.toString(Math.max(1,
                    Runtime.getRuntime().availableProcessors() / trainers)));
        }

        System.out.println("starting Kafka (KRaft) and the three services ...");
        try (Pipeline pipeline = Pipeline.start(home, home.root().resolve(".work/pipeline"),
                store(a), env, a.getInt("kafka-port", 9092), a.getInt("max-restarts", Pipeline.DEFAULT_MAX_RESTARTS));
             RunClient client = new RunClient(pipeline.bootstrap());
             LocalPrometheus prometheus = startPrometheus(a, pipeline)) {
            for (int i = 2; i <= trainers; i++) {
                // more trainers join the jobs' consumer group and share a study's networks
                pipeline.startService("trainer-service-" + i);
                pipeline.awaitReady("trainer-service-" + i, Duration.ofSeconds(120));
            }
            for (int i = 2; i <= a.getInt("evaluators", 1); i++) {
                // more evaluators join the same consumer group and share the variants' partitions
                pipeline.startService("evaluator-service-" + i);
                pipeline.awaitReady("evaluator-service-" + i, Duration.ofSeconds(120));
            }
            client.listen(new ProgressPrinter());
            client.post(Topics.TRAINING_REQUESTS, request.runId(), Json.write(request));
            System.out.printf("posted training request %s%n", Json.write(request));
            // a service the supervisor gave up on cannot finish the run: stop waiting and say why
            report(client.await(request.runId(), timeout, r -> pipeline.failure().ifPresent(f -> {
                throw new IllegalStateException("the run cannot complete: " + f);
            })), runs, store(a));
            if (a.flag("keep-running")) {
                System.out.printf("%nkeeping the pipeline running; post requests to %s on %s; Ctrl-C stops%n",
                        Topics.TRAINING_REQUESTS, pipeline.bootstrap());
                waitForMoreRuns(client, request.runId(), runs, a);
            }
        }
    }

    /** A Prometheus scraping the services, when installed, so that users can look at the series in its own UI. */
    private static LocalPrometheus startPrometheus(CliArgs a, Pipeline pipeline) {
        System.out.printf("broker at %s; services ready (logs in %s)%n", pipeline.bootstrap(), pipeline.work());
        int port = a.getInt("prometheus-port", 9090);
        if (port == 0) {
            return null;
        }
        if (LocalPrometheus.binary().isEmpty()) {
            System.out.println("Prometheus not started: not installed (Debian: apt-get install prometheus)");
            return null;
        }
        Map<String, Integer> targets = new java.util.LinkedHashMap<>();
        for (String s : Pipeline.SERVICES) {
            targets.put(s, pipeline.port(s));
        }
        LocalPrometheus p = LocalPrometheus.start(pipeline.work().resolve("prometheus"), port, targets);
        System.out.printf("Prometheus at %s scrapes the services' metrics (try pruning_test_accuracy_ratio)%n", p.url());
        return p;
    }

    /** Prints and writes the results of a run on a pipeline that is already running (bin/run --results RUN_ID). */
    private static void results(CliArgs a) {
        String runId = TrainingRequest.RunIds.checkOrCreate(a.get("results", null));
        Path runs = checkoutPath(a, "out", "runs");
        try (RunClient client = new RunClient(a.get("bootstrap", "127.0.0.1:9092"))) {
            System.out.printf("reading run %s from %s ...%n", runId, a.get("bootstrap", "127.0.0.1:9092"));
            int[] shown = {-1};
            report(client.await(runId, Duration.ofMinutes(a.getInt("timeout-minutes", 180)), r -> {
                if (r.evaluations().size() != shown[0]) {
                    shown[0] = r.evaluations().size();
                    System.out.printf("[%s] evaluated %d/%s%n", runId, shown[0], r.expected() < 0 ? "?" : r.expected());
                }
            }), runs, store(a));
        }
    }

    /** Checks a training request and posts it, as the compose stack's study service does. */
    private static void post(CliArgs a) {
        TrainingRequest request = Json.read(a.get("post", ""), TrainingRequest.class).complete();
        String bootstrap = a.get("bootstrap", "127.0.0.1:9092");
        try (RunClient client = new RunClient(bootstrap)) {
            client.post(Topics.TRAINING_REQUESTS, request.runId(), Json.write(request));
        }
        System.out.printf("posted to %s on %s: %s%n", Topics.TRAINING_REQUESTS, bootstrap, Json.write(request));
    }

    private static Path store(CliArgs a) {
        return checkoutPath(a, "store", "store");
    }

    /** The path option {@code key}: as given when absolute (the report image has no checkout), else in the checkout. */
    private static Path checkoutPath(CliArgs a, String key, String fallback) {
        Path p = Path.of(a.get(key, fallback));
        return p.isAbsolute() ? p : LabHome.locate().root().resolve(p);
    }

    private static void report(RunResults r, Path runs, Path store) {
        System.out.println();
        System.out.print(ResultsTable.format(r));
        Path dir = runs.resolve(r.runId());
        ResultsTable.write(r, dir);
        System.out.printf("%d results written to %s/results.{json,csv}%n", r.evaluations().size(), dir);
        System.out.printf("%d evaluation records for %d variants; evaluated twice: %d%n", r.evaluationRecords(),
                r.evaluations().size(), r.reevaluated().size());
        Mlp trained = new ArtifactStore(store).getModel(r.trained().modelId()).mlp();
        ReportWriter.write(r, trained, dir.resolve("report"));
        System.out.println();
        Conclusions.sentences(r.evaluations()).forEach(s -> System.out.println("- " + s));
        org.prunelab.runner.report.LotteryReport.sentences(r.evaluations())
                .forEach(s -> System.out.println("- lottery: " + s));
        System.out.printf("report with charts: %s/report/report.md%n", dir);
    }

    private static void waitForMoreRuns(RunClient client, String first, Path runs, CliArgs a) {
        java.util.Set<String> reported = new java.util.HashSet<>(List.of(first));
        while (true) {
            LocalKafka.sleep(2000);
            for (RunResults r : client.runs()) {
                if (r.complete() && reported.add(r.runId())) {
                    report(r, runs, store(a));
                }
            }
        }
    }

    /** One line per epoch and per evaluated variant. */
    private static final class ProgressPrinter implements RunClient.Listener {
        @Override
        public void progress(TrainingProgress p) {
            System.out.printf(Locale.ROOT, "[%s] %s%s epoch %d/%d: test loss %.4f, accuracy %.4f (%.1f s)%s%n",
                    p.runId(), p.describesModel() ? TrainingProgress.MODEL : p.network(),
                    p.seed() == null ? "" : " (seed " + p.seed() + ")", p.epoch(), p.epochs(), p.metrics().testLoss(),
                    p.metrics().testAccuracy(), p.metrics().seconds(), p.trainer() == null ? "" : " on " + p.trainer());
        }

        @Override
        public void trained(TrainedModelEvent e) {
            System.out.printf(Locale.ROOT, "[%s] model %s (seed %d) trained: accuracy %.4f; the run has %d variants%n",
                    e.runId(), e.modelId().substring(0, 12), e.seed(), e.testAccuracy(), e.expectedVariants());
        }

        /**
         * Each variant as it is stored, and when all are: from then on the evaluator times the run's one-shot
         * variants together, minutes in which no result appears.
         */
        @Override
        public void stored(PrunedVariantEvent e, RunResults run) {
            System.out.printf(Locale.ROOT, "[%s] stored %d/%d: %s%s %s%% seed %d%n", e.runId(), run.variantsStored(),
                    run.expected(), e.method().id(), e.stage().suffix(), Percentage.label(e.percentage()), e.seed());
            if (run.variantsStored() == run.expected()) {
                System.out.printf("[%s] every variant stored; the evaluator times each seed's one-shot variants "
                        + "together at every thread count before their results appear (minutes)%n", e.runId());
            }
        }

        @Override
        public void evaluated(EvaluationEvent e, RunResults run) {
            System.out.printf(Locale.ROOT, "[%s] evaluated %d/%d: %s%s %s%% seed %d accuracy %.4f, %s %s%n",
                    e.runId(), run.evaluations().size(), run.expected(), e.method().id(), e.stage().suffix(),
                    Percentage.label(e.percentage()), e.seed(),
                    e.testAccuracy(), e.fastForm(), e.timings().stream().map(t -> String.format(Locale.ROOT,
                            "%.2fx on %d thread(s)", t.speedup(), t.threads())).collect(
                            java.util.stream.Collectors.joining(", ")));
        }

        @Override
        public void deadLetter(RunClient.DeadLetter d) {
            System.out.printf("dead letter from %s: %s%n", d.topic(), d.reason());
        }
    }

    private static List<Integer> ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    private static List<Long> longs(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).map(Long::parseLong).toList();
    }

    private static List<Double> doubles(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).map(Double::parseDouble).toList();
    }
}

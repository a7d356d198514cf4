package org.prunelab.runner;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.prunelab.core.Json;

/**
 * A real Prometheus (Debian's package) scraping the services' /q/metrics, on loopback, with its data in the given
 * directory. Used by the dashboard check and, when installed, by bin/run so that users can look at the series.
 */
public final class LocalPrometheus implements AutoCloseable {
    private final Process process;
    private final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private LocalPrometheus(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /** The prometheus binary, if installed. */
    public static Optional<Path> binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, "prometheus");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** @param targets job name -> loopback port of a service whose metrics are at /q/metrics */
    public static LocalPrometheus start(Path dir, int port, Map<String, Integer> targets) {
        Path bin = binary().orElseThrow(() -> new IllegalStateException(
                "prometheus is not installed (Debian: apt-get install prometheus)"));
        try {
            Files.createDirectories(dir);
            // the provisioned Grafana datasource's timeInterval; every scrape costs each service a metrics
            // rendering, and at 2 s the scrapes took 39 ms of CPU a second from an idle pipeline's timing
            StringBuilder cfg = new StringBuilder("global:\n  scrape_interval: 5s\n  evaluation_interval: 5s\nscrape_configs:\n");
            targets.forEach((job, p) -> cfg.append("  - job_name: ").append(job).append('\n')
                    .append("    metrics_path: /q/metrics\n")
                    .append("    static_configs:\n      - targets: ['127.0.0.1:").append(p).append("']\n"));
            Path config = Files.writeString(dir.resolve("prometheus.yml"), cfg.toString());
            Process p = new ProcessBuilder(ChildProcess.command(List.of(bin.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port),
                    ChildProcess.Priority.BACKGROUND))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
            LocalPrometheus prom = new LocalPrometheus(p, "http://127.0.0.1:" + port);
            prom.awaitReady(Duration.ofSeconds(60));
            return prom;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return url;
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited; see its log");
            }
            try {
                if (get("/-/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not yet listening
            }
            LocalKafka.sleep(300);
        }
        throw new IllegalStateException("prometheus not ready after " + timeout);
    }

    /** Instant query: the result vector (empty when the expression matches nothing). */
    public List<JsonNode> query(String promql) throws IOException {
        return results(get("/api/v1/query?query=" + enc(promql)));
    }

    /** Range query over the last {@code window}, step 5 s: the result matrix. */
    public List<JsonNode> queryRange(String promql, Duration window) throws IOException {
        long end = System.currentTimeMillis() / 1000;
        return results(get("/api/v1/query_range?query=" + enc(promql) + "&start=" + (end - window.toSeconds())
                + "&end=" + end + "&step=5"));
    }

    /** The values of a label among the series that match a selector (Grafana's label_values). */
    public List<String> labelValues(String label, String match) throws IOException {
        JsonNode body = body(get("/api/v1/label/" + enc(label) + "/values?match[]=" + enc(match)));
        List<String> out = new ArrayList<>();
        body.get("data").forEach(v -> out.add(v.asText()));
        return out;
    }

    /** Waits until a query returns data, e.g. until the first scrape after a run. */
    public void awaitData(String promql, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (query(promql).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no data for " + promql + " after " + timeout);
            }
            LocalKafka.sleep(500);
        }
    }

    private List<JsonNode> results(HttpResponse<String> r) {
        List<JsonNode> out = new ArrayList<>();
        body(r).get("data").get("result").forEach(out::add);
        return out;
    }

    private static JsonNode body(HttpResponse<String> r) {
        try {
            JsonNode node = Json.MAPPER.readTree(r.body());
            if (!"success".equals(node.path("status").asText())) {
                throw new IllegalArgumentException("prometheus: " + node.path("error").asText(r.body()));
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("prometheus answered " + r.statusCode() + ": " + r.body());
        }
    }

    private HttpResponse<String> get(String path) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

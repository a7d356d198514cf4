package org.prunelab.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.prunelab.core.Json;
import org.prunelab.core.events.Topics;

/**
 * Grafana cannot be installed here, so its dashboards are checked the way Grafana would use them: every variable and
 * every panel query runs against a real Prometheus that scraped the services during a real run, and must return
 * data; every panel must name the provisioned datasource uid. The responses are recorded, and Grafana's own frontend
 * data code then turns them into each panel's frames and checks that the panel can draw them
 * ({@code grafana/check/check-panels.cjs}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardQueriesTest {
    private static final String DATASOURCE_UID = "prometheus-lab";
    private static final String RUN = "dash-1";
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*(\\w+)\\)");
    private static SharedPipeline lab;
    /** Every panel query's Prometheus response, by "dashboard file|panel title|refId", for the Grafana check. */
    private static final ObjectNode RESPONSES = Json.MAPPER.createObjectNode();

    @BeforeAll
    static void runASmallStudy() throws IOException {
        lab = SharedPipeline.get();
        // with fine-tuning, so that the panels draw one-shot and fine-tuned series
        lab.client.post(Topics.TRAINING_REQUESTS, RUN, SharedPipeline.request(RUN, "mnist", "0,50,90", true)
                .replace("}", ",\"fineTuneEpochs\":1}"));
        lab.client.post(Topics.TRAINING_REQUESTS, "dash-bad", "{\"runId\":\"dash-bad\",\"epochs\":-1}");
        lab.client.await(RUN, Duration.ofMinutes(6), r -> { });
        lab.prometheus.awaitData("count(pruning_test_accuracy_ratio{run=\"" + RUN + "\"}) == 14", Duration.ofSeconds(60));
        lab.prometheus.awaitData("lab_messages_dead_lettered_total", Duration.ofSeconds(60));
        LocalKafka.sleep(11000); // two more scrapes (every 5 s), so that rate() over the window has points
    }

    @Test
    @Order(1)
    void everyVariableAndPanelQueryOfEveryDashboardReturnsData() throws IOException {
        List<Path> dashboards;
        try (var files = Files.list(lab.home.root().resolve("grafana/dashboards"))) {
            dashboards = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertEquals(2, dashboards.size(), "pruning-study and pipeline dashboards");
        int queries = 0;
        List<String> empty = new ArrayList<>();
        for (Path file : dashboards) {
            JsonNode dash = Json.MAPPER.readTree(file.toFile());
            Map<String, String> vars = new LinkedHashMap<>();
            for (JsonNode v : dash.path("templating").path("list")) {
                assertEquals(DATASOURCE_UID, v.path("datasource").path("uid").asText(), file + " variable " + v.path("name"));
                Matcher m = LABEL_VALUES.matcher(v.path("query").path("query").asText());
                assertTrue(m.matches(), "variable " + v.path("name") + " is label_values(selector, label)");
                List<String> values = lab.prometheus.labelValues(m.group(2), substitute(m.group(1), vars));
                queries++;
                if (values.isEmpty()) {
                    empty.add(file.getFileName() + " variable " + v.path("name").asText());
                    continue;
                }
                String name = v.path("name").asText();
                vars.put(name, name.equals("run") && values.contains(RUN) ? RUN : values.get(0));
            }
            for (JsonNode panel : dash.path("panels")) {
                String title = file.getFileName() + " / " + panel.path("title").asText();
                assertEquals(DATASOURCE_UID, panel.path("datasource").path("uid").asText(), title);
                assertFalse(panel.path("targets").isEmpty(), title + " has queries");
                for (JsonNode t : panel.path("targets")) {
                    assertEquals(DATASOURCE_UID, t.path("datasource").path("uid").asText(), title);
                    String expr = substitute(t.path("expr").asText(), vars);
                    List<JsonNode> result = t.path("instant").asBoolean()
                            ? lab.prometheus.query(expr)
                            : lab.prometheus.queryRange(expr, Duration.ofMinutes(10));
                    queries++;
                    if (result.isEmpty()) {
                        empty.add(title + ": " + expr);
                    }
                    ObjectNode response = RESPONSES.putObject(file.getFileName() + "|" + panel.path("title").asText()
                            + "|" + t.path("refId").asText());
                    response.put("expr", expr);
                    response.put("resultType", t.path("instant").asBoolean() ? "vector" : "matrix");
                    response.putArray("result").addAll(result);
                }
            }
        }
        assertTrue(empty.isEmpty(), "queries without data: " + empty);
        assertTrue(queries >= 20, "checked " + queries + " queries");
    }

    /**
     * Grafana's own data code over every panel (grafana/check, @grafana/data pinned to the compose file's Grafana):
     * frames as its Prometheus data source shapes them, the panel's transformations, and what the panel type needs.
     */
    @Test
    @Order(2)
    void grafanasOwnDataCodeDrawsEveryPanel() throws IOException, InterruptedException {
        assertFalse(RESPONSES.isEmpty(), "the queries were recorded first");
        Path check = lab.home.root().resolve("grafana/check");
        assertTrue(Files.isDirectory(check.resolve("node_modules/@grafana/data")),
                "grafana/check has no node_modules: run scripts/setup-test-prerequisites.sh (npm ci there)");
        Path responses = lab.home.root().resolve("lab-runner/target/dashboard-responses.json");
        Files.writeString(responses, Json.pretty(RESPONSES));
        Path previews = lab.home.root().resolve("lab-runner/target/grafana-previews");
        Process node = new ProcessBuilder("node", "check-panels.cjs", responses.toString(),
                lab.home.root().resolve("grafana/dashboards").toString(), previews.toString())
                .directory(check.toFile()).redirectErrorStream(true).start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(120, TimeUnit.SECONDS), "the check finished");
        out.lines().forEach(l -> System.out.println("[grafana] " + l));
        assertEquals(0, node.exitValue(), "panels Grafana would not draw:\n" + out);
        screenshots(previews);
    }

    /** The previews as PNG pictures, where Debian's chromium is installed (the HTML pages are there regardless). */
    private static void screenshots(Path previews) throws IOException, InterruptedException {
        Path chromium = Path.of("/usr/bin/chromium");
        if (!Files.isExecutable(chromium)) {
            System.out.println("[grafana] previews (HTML, open in a browser): " + previews);
            return;
        }
        try (var pages = Files.list(previews)) {
            for (Path page : pages.filter(p -> p.toString().endsWith(".html")).toList()) {
                Path png = Path.of(page.toString().replaceAll("\\.html$", ".png"));
                Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                        "--user-data-dir=" + Files.createTempDirectory("chromium-"), "--window-size=1200,2600",
                        "--screenshot=" + png, page.toUri().toString()).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                boolean done = p.waitFor(60, TimeUnit.SECONDS);
                System.out.println("[grafana] preview " + (done && Files.exists(png) ? png : page + " (no screenshot)"));
            }
        }
    }

    private static double value(String query) throws IOException {
        List<JsonNode> r = lab.prometheus.query(query);
        assertEquals(1, r.size(), query);
        return Double.parseDouble(r.get(0).path("value").get(1).asText());
    }

    @Test
    @Order(3)
    void theStudyDashboardShowsTheRunsFigures() throws IOException {
        // the accuracy panel's query for this run: one series per method, percentage and stage (weight and neuron at
        // 0, 50 and 90, one-shot and fine-tuned; from scratch at 50 and 90), values in 0-1
        List<JsonNode> acc = lab.prometheus.query("pruning_test_accuracy_ratio{run=\"" + RUN + "\"}");
        assertEquals(14, acc.size());
        assertEquals(2, acc.stream().filter(s -> s.path("metric").path("method").asText().equals("scratch")).count());
        assertEquals(6, acc.stream().filter(s -> s.path("metric").path("stage").asText().equals("fine-tuned")).count());
        // the share removed: a from-scratch network holds exactly the compacted neuron-pruned network's weights
        for (String p : List.of("50", "90")) {
            assertEquals(value("pruning_removed_ratio{run=\"" + RUN + "\", method=\"neuron\", stage=\"one-shot\", "
                    + "percentage=\"" + p + "\"}"), value("pruning_removed_ratio{run=\"" + RUN + "\", method=\"scratch\", "
                    + "percentage=\"" + p + "\"}"), 1e-9, p + " %");
        }
        for (JsonNode s : acc) {
            double v = Double.parseDouble(s.path("value").get(1).asText());
            assertTrue(v > 0 && v <= 1, s.toString());
            assertEquals("mnist", s.path("metric").path("dataset").asText());
        }
        // the analysis panels' series: every weight, neuron and neuron's top-10 % count lands in exactly one bin of
        // its layer (the run's net is 784-64-32-10: hidden layers 0 and 1)
        Map<String, Double> expected = Map.of(
                "analysis_weight_magnitude_count/0", 784.0 * 64, "analysis_weight_magnitude_count/1", 64.0 * 32,
                "analysis_neuron_norm_count/0", 64.0, "analysis_neuron_norm_count/1", 32.0,
                "analysis_top10_spread_neurons/0", 64.0, "analysis_top10_spread_neurons/1", 32.0);
        for (String metric : List.of("analysis_weight_magnitude_count", "analysis_neuron_norm_count",
                "analysis_top10_spread_neurons")) {
            List<JsonNode> sums = lab.prometheus.query("sum by (layer) (" + metric + "{run=\"" + RUN + "\"})");
            assertEquals(2, sums.size(), metric);
            for (JsonNode s : sums) {
                String key = metric + "/" + s.path("metric").path("layer").asText();
                assertEquals(expected.get(key), Double.parseDouble(s.path("value").get(1).asText()), 0.0, key);
            }
        }
        // 3 percentages x median, min and max x 1 and 2 threads x one-shot and fine-tuned
        List<JsonNode> csr = lab.prometheus.query("pruning_inference_seconds{run=\"" + RUN
                + "\", method=\"weight\", form=\"csr\"}");
        assertEquals(36, csr.size());
        assertEquals(List.of("1", "2"), csr.stream().map(s -> s.path("metric").path("threads").asText()).distinct()
                .sorted().toList());
        // a speed-up per method, percentage and thread count, each inside its pairs' interval
        for (JsonNode s : lab.prometheus.query("pruning_speedup_ratio{run=\"" + RUN + "\"}")) {
            var m = s.path("metric");
            String same = String.format("{run=\"%s\", method=\"%s\", percentage=\"%s\", threads=\"%s\", stage=\"%s\"}",
                    RUN, m.path("method").asText(), m.path("percentage").asText(), m.path("threads").asText(),
                    m.path("stage").asText());
            double x = Double.parseDouble(s.path("value").get(1).asText());
            double low = Double.parseDouble(lab.prometheus.query("pruning_speedup_low_ratio" + same).get(0)
                    .path("value").get(1).asText());
            double high = Double.parseDouble(lab.prometheus.query("pruning_speedup_high_ratio" + same).get(0)
                    .path("value").get(1).asText());
            assertTrue(low <= x && x <= high, same + ": " + low + " <= " + x + " <= " + high);
        }
    }

    /**
     * promtool must parse every service's /q/metrics (exit 1 would be a format error). Its lint (exit 3) is held to
     * our own metric names: Debian's promtool 2.42 predates the Prometheus Java client 1.x that Quarkus' registry uses,
     * which writes a counter's HELP and TYPE under its base name and its sample as name_total, so promtool reports
     * "no help text" for every counter; that complaint is accepted only where the base name does carry a HELP line.
     * Lint about third-party names (Kafka client's _ns/_ms metrics, Micrometer's system_cpu_count) is not ours to fix.
     */
    @Test
    void promtoolParsesEveryServicesMetricsAndOurNamesPassItsLint() throws IOException, InterruptedException {
        Pattern ours = Pattern.compile("^(pruning|trainer|pruner|evaluator|lab)_.*");
        for (String service : Pipeline.SERVICES) {
            HttpResponse<String> r = get(service, "/q/metrics");
            assertEquals(200, r.statusCode());
            Path metrics = Files.writeString(Files.createTempFile("metrics-", ".txt"), r.body());
            Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true)
                    .redirectInput(metrics.toFile()).start();
            String out = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(promtool.waitFor(30, TimeUnit.SECONDS));
            int exit = promtool.exitValue();
            assertTrue(exit == 0 || exit == 3, service + ": promtool could not parse /q/metrics (exit " + exit + "): " + out);
            List<String> problems = new ArrayList<>();
            for (String line : out.strip().split("\n")) {
                String name = line.split(" ", 2)[0];
                if (line.isBlank() || !ours.matcher(name).matches()) {
                    continue;
                }
                boolean counterHelpArtifact = line.endsWith(" no help text") && name.endsWith("_total")
                        && r.body().contains("# HELP " + name.substring(0, name.length() - "_total".length()) + " ");
                if (!counterHelpArtifact) {
                    problems.add(line);
                }
            }
            assertTrue(problems.isEmpty(), service + ": promtool lint on our metrics: " + problems);
            assertTrue(r.body().contains("# HELP lab_messages_consumed "), service + " exports its own metrics");
        }
    }

    @Test
    void healthIncludesKafka() throws IOException, InterruptedException {
        for (String service : Pipeline.SERVICES) {
            HttpResponse<String> r = get(service, "/q/health");
            assertEquals(200, r.statusCode(), service + ": " + r.body());
            assertTrue(r.body().contains("\"status\": \"UP\"") || r.body().contains("\"status\":\"UP\""), r.body());
            assertTrue(r.body().toLowerCase().contains("kafka"), service + " health has a Kafka check: " + r.body());
        }
    }

    @Test
    void provisioningNamesTheSameDatasourceUid() throws IOException {
        String ds = Files.readString(lab.home.root().resolve("grafana/provisioning/datasources/prometheus.yml"));
        assertTrue(ds.contains("uid: " + DATASOURCE_UID), ds);
        String providers = Files.readString(lab.home.root().resolve("grafana/provisioning/dashboards/pruning-lab.yml"));
        assertTrue(providers.contains("type: file"), providers);
    }

    private static HttpResponse<String> get(String service, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + lab.pipeline.port(service) + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String substitute(String expr, Map<String, String> vars) {
        String out = expr.replace("$__rate_interval", "1m");
        for (var e : vars.entrySet()) {
            out = out.replace("$" + e.getKey(), e.getValue());
        }
        return out;
    }
}

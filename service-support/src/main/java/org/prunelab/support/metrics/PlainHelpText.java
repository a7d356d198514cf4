package org.prunelab.support.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Keeps every HELP line of /q/metrics acceptable to {@code promtool check metrics}: Micrometer's JVM meters describe
 * themselves as The "recent cpu usage"..., which the Prometheus registry writes as \" (valid OpenMetrics, an invalid
 * escape in Prometheus' text format), and several Quarkus and Kafka-client meters have no description at all, which
 * promtool reports as "no help text". Quotes become apostrophes; a missing description becomes the meter's name.
 */
@Singleton
public class PlainHelpText {

    @Produces
    @Singleton
    public MeterFilter plainHelpText() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String d = id.getDescription();
                if (d != null && !d.isBlank() && d.indexOf('"') < 0) {
                    return id;
                }
                String help = d == null || d.isBlank() ? id.getName().replace('.', ' ') : d.replace('"', '\'');
                return new Meter.Id(id.getName(), io.micrometer.core.instrument.Tags.of(id.getTagsAsIterable()),
                        id.getBaseUnit(), help, id.getType());
            }
        };
    }
}

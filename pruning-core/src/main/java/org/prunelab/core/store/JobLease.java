package org.prunelab.core.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Who is training a job now, as a file in the shared store whose modification time its holder renews while it
 * trains. Kafka hands a job to one trainer of the group, but not only once: after a rebalance (a trainer joining,
 * one slow to poll) the job's record can reach a second trainer while the first still trains it. The second sees a
 * live lease and waits for the first's result instead of training the job twice; a lease nobody renewed for
 * {@code staleAfter} belongs to a trainer that died, and is taken over (the job then resumes from its checkpoint).
 */
public final class JobLease implements AutoCloseable {
    private final Path file;
    private final Thread renewer;

    private JobLease(Path file, Duration renewEvery) {
        this.file = file;
        this.renewer = Thread.ofPlatform().daemon().name("lease-" + file.getFileName()).start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(renewEvery.toMillis());
                    Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    // the file went (taken over after a long pause of this process): the result is still recorded once
                    return;
                }
            }
        });
    }

    /**
     * Takes the job's lease unless another holder renewed it within {@code staleAfter}.
     *
     * @return the lease, or empty while someone else holds it
     */
    public static Optional<JobLease> tryAcquire(Path storeRoot, String job, String owner, Duration staleAfter) {
        Path dir = storeRoot.resolve("leases");
        Path file = dir.resolve(ArtifactStore.sha256(job.getBytes(StandardCharsets.UTF_8)) + ".lease");
        try {
            Files.createDirectories(dir);
            try {
                Files.writeString(file, owner + "\n" + job + "\n", StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException held) {
                Instant renewed = Files.getLastModifiedTime(file).toInstant();
                if (Duration.between(renewed, Instant.now()).compareTo(staleAfter) < 0) {
                    return Optional.empty();
                }
                // its holder stopped renewing it: gone. Remove and race for it like a free one
                Files.deleteIfExists(file);
                return tryAcquire(storeRoot, job, owner, staleAfter);
            }
            return Optional.of(new JobLease(file, staleAfter.dividedBy(4)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take the lease of " + job, e);
        }
    }

    /** Gives the lease up (the job's result is recorded, or its training failed and may be tried again). */
    @Override
    public void close() {
        renewer.interrupt();
        try {
            renewer.join(1000);
            Files.deleteIfExists(file);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release " + file, e);
        }
    }
}

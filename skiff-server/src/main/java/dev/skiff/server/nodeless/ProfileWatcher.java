package dev.skiff.server.nodeless;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches {@code kube-system/eci-profile} and hands every valid version to a consumer on one thread, in order. An
 * invalid version is refused with a warning (log and a Warning event {@code InvalidProfile} on the ConfigMap naming
 * the key) and the last good profile stays in force.
 *
 * <p>Thread-safe; {@link #close()} stops the watch (the executor belongs to the caller).
 */
final class ProfileWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProfileWatcher.class);

    private final SharedIndexInformer<ConfigMap> informer;

    private ProfileWatcher(SharedIndexInformer<ConfigMap> informer) {
        this.informer = informer;
    }

    static ProfileWatcher start(KubernetesClient client, Clock clock, ExecutorService serial,
                                Consumer<EciProfile> onValid) {
        ResourceEventHandler<ConfigMap> handler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap cm) {
                serial.execute(() -> handle(cm));
            }

            @Override
            public void onUpdate(ConfigMap oldCm, ConfigMap newCm) {
                if (!java.util.Objects.equals(oldCm.getData(), newCm.getData())) {
                    serial.execute(() -> handle(newCm));
                }
            }

            @Override
            public void onDelete(ConfigMap cm, boolean unknown) {
                // A deleted profile keeps the nodes: the last good profile stays in force.
            }

            private void handle(ConfigMap cm) {
                EciProfile profile;
                try {
                    profile = EciProfile.parse(cm.getData());
                } catch (IllegalArgumentException e) {
                    LOG.warn("{}/{} rejected, the last good profile stays in force: {}", EciProfile.NAMESPACE,
                            EciProfile.NAME, e.getMessage());
                    warn(client, clock, cm, e.getMessage());
                    return;
                }
                try {
                    onValid.accept(profile);
                } catch (RuntimeException e) {
                    LOG.warn("applying {}/{} failed", EciProfile.NAMESPACE, EciProfile.NAME, e);
                }
            }
        };
        return new ProfileWatcher(client.configMaps().inNamespace(EciProfile.NAMESPACE)
                .withName(EciProfile.NAME).inform(handler));
    }

    private static void warn(KubernetesClient client, Clock clock, ConfigMap cm, String message) {
        Instant now = clock.instant();
        String time = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
        try {
            client.v1().events().inNamespace(EciProfile.NAMESPACE).resource(new EventBuilder()
                    .withNewMetadata().withNamespace(EciProfile.NAMESPACE)
                    .withName(EciProfile.NAME + "." + Long.toHexString(now.toEpochMilli() * 1_000_000L
                            + now.getNano() % 1_000_000)).endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion("v1").withKind("ConfigMap")
                            .withNamespace(EciProfile.NAMESPACE).withName(EciProfile.NAME)
                            .withUid(cm.getMetadata().getUid()).build())
                    .withType("Warning").withReason("InvalidProfile")
                    .withMessage(message + "; the last good profile stays in force")
                    .withNewSource().withComponent("skiff-virtual-nodes").endSource()
                    .withReportingComponent("skiff-virtual-nodes")
                    .withFirstTimestamp(time).withLastTimestamp(time).withCount(1)
                    .build()).create();
        } catch (KubernetesClientException e) {
            LOG.debug("event dropped: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        informer.close();
    }
}

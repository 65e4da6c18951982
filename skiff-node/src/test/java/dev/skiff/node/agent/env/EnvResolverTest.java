package dev.skiff.node.agent.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.node.runtime.EnvVar;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EnvResolverTest {

    private final Map<String, ConfigMap> configMaps = new HashMap<>();
    private final Map<String, Secret> secrets = new HashMap<>();
    private final EnvResolver resolver = new EnvResolver(new ObjectSource() {
        @Override
        public Optional<ConfigMap> configMap(String namespace, String name) {
            return Optional.ofNullable(configMaps.get(namespace + "/" + name));
        }

        @Override
        public Optional<Secret> secret(String namespace, String name) {
            return Optional.ofNullable(secrets.get(namespace + "/" + name));
        }
    });

    private static Pod pod(Container c) {
        return new PodBuilder().withNewMetadata().withName("web-1").withNamespace("shop").withUid("uid-1")
                .addToLabels("app", "web").addToAnnotations("team", "blue").endMetadata()
                .withNewSpec().withNodeName("vk-1").withServiceAccountName("builder").withContainers(c).endSpec()
                .build();
    }

    private ResolvedContainer resolve(Container c) throws ContainerConfigException {
        return resolver.resolve(c, new DownwardApi(pod(c), "10.0.0.7", "192.0.2.1"));
    }

    private static Map<String, String> asMap(List<EnvVar> env) {
        return env.stream().collect(Collectors.toMap(EnvVar::name, EnvVar::value));
    }

    @Test
    void resolvesEveryKindOfReferenceAndExpandsValuesCommandAndArgs() throws Exception {
        configMaps.put("shop/cfg", new ConfigMapBuilder().withNewMetadata().withName("cfg").endMetadata()
                .addToData("MODE", "fast").addToData("1BAD", "x").addToData("LEVEL", "3").build());
        secrets.put("shop/creds", new SecretBuilder().withNewMetadata().withName("creds").endMetadata()
                .addToData("password", Base64.getEncoder().encodeToString("s3cret".getBytes(StandardCharsets.UTF_8)))
                .build());
        Container c = new ContainerBuilder().withName("app").withImage("busybox")
                .addNewEnvFrom().withNewConfigMapRef("cfg", false).endEnvFrom()
                .addNewEnvFrom().withPrefix("DB_").withNewSecretRef("creds", false).endEnvFrom()
                .addNewEnvFrom().withNewConfigMapRef("absent", true).endEnvFrom()
                .addNewEnv().withName("POD").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
                .endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("NS").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.namespace")
                .endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("APP").withNewValueFrom().withNewFieldRef()
                .withFieldPath("metadata.labels['app']").endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("TEAM").withNewValueFrom().withNewFieldRef()
                .withFieldPath("metadata.annotations['team']").endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("NODE").withNewValueFrom().withNewFieldRef().withFieldPath("spec.nodeName")
                .endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("SA").withNewValueFrom().withNewFieldRef()
                .withFieldPath("spec.serviceAccountName").endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP")
                .endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("HOST").withNewValueFrom().withNewFieldRef().withFieldPath("status.hostIP")
                .endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("UID").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.uid")
                .endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("MEM_MI").withNewValueFrom().withNewResourceFieldRef()
                .withResource("limits.memory").withDivisor(new Quantity("1Mi")).endResourceFieldRef()
                .endValueFrom().endEnv()
                .addNewEnv().withName("CPU").withNewValueFrom().withNewResourceFieldRef()
                .withResource("requests.cpu").endResourceFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("LEVEL_KEY").withNewValueFrom().withNewConfigMapKeyRef("LEVEL", "cfg", false)
                .endValueFrom().endEnv()
                .addNewEnv().withName("OPT").withNewValueFrom().withNewSecretKeyRef("nokey", "creds", true)
                .endValueFrom().endEnv()
                .addNewEnv().withName("URL").withValue("http://$(POD).$(NS):$(LEVEL)/$(UNDEFINED)").endEnv()
                .withCommand("/bin/sh", "-c", "echo $(MODE) $$(MODE)")
                .withArgs("$(DB_password)")
                .withNewResources().addToLimits("memory", new Quantity("256Mi"))
                .addToRequests("cpu", new Quantity("250m")).endResources()
                .build();

        ResolvedContainer r = resolve(c);

        Map<String, String> env = asMap(r.env());
        assertThat(env).containsEntry("MODE", "fast").containsEntry("LEVEL", "3")
                .containsEntry("DB_password", "s3cret").containsEntry("POD", "web-1").containsEntry("NS", "shop")
                .containsEntry("APP", "web").containsEntry("TEAM", "blue").containsEntry("NODE", "vk-1")
                .containsEntry("SA", "builder").containsEntry("IP", "10.0.0.7").containsEntry("HOST", "192.0.2.1")
                .containsEntry("UID", "uid-1").containsEntry("MEM_MI", "256").containsEntry("CPU", "1")
                .containsEntry("LEVEL_KEY", "3").containsEntry("URL", "http://web-1.shop:3/$(UNDEFINED)")
                .doesNotContainKeys("1BAD", "OPT");
        assertThat(r.command()).containsExactly("/bin/sh", "-c", "echo fast $(MODE)");
        assertThat(r.args()).containsExactly("s3cret");
        assertThat(r.invalidKeys()).containsExactly("Keys [1BAD] from the EnvFrom configMap shop/cfg were skipped "
                + "since they are considered invalid environment variable names.");
    }

    @Test
    void missingNonOptionalReferencesFailWithTheKubeletsMessages() {
        Container missingMap = new ContainerBuilder().withName("a").withImage("i").addNewEnv().withName("X")
                .withNewValueFrom().withNewConfigMapKeyRef("k", "cfg", null).endValueFrom().endEnv().build();
        assertThatThrownBy(() -> resolve(missingMap)).isInstanceOf(ContainerConfigException.class)
                .hasMessage("configmap \"cfg\" not found");

        configMaps.put("shop/cfg", new ConfigMapBuilder().withNewMetadata().withName("cfg").endMetadata()
                .addToData("other", "v").build());
        assertThatThrownBy(() -> resolve(missingMap)).hasMessage("couldn't find key k in ConfigMap shop/cfg");

        Container missingSecret = new ContainerBuilder().withName("a").withImage("i")
                .addNewEnvFrom().withNewSecretRef("creds", false).endEnvFrom().build();
        assertThatThrownBy(() -> resolve(missingSecret)).hasMessage("secret \"creds\" not found");

        Container badField = new ContainerBuilder().withName("a").withImage("i").addNewEnv().withName("X")
                .withNewValueFrom().withNewFieldRef().withFieldPath("spec.nope").endFieldRef().endValueFrom()
                .endEnv().build();
        assertThatThrownBy(() -> resolve(badField)).hasMessage("unsupported fieldPath: spec.nope");
    }
}

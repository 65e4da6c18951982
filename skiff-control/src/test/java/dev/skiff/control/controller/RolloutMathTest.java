package dev.skiff.control.controller;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RolloutMathTest {

    static IntOrString intOrPercent(String v) {
        return v.endsWith("%") ? new IntOrString(v) : new IntOrString(Integer.parseInt(v));
    }

    static Deployment rolling(int replicas, String surge, String unavailable) {
        return new DeploymentBuilder().withNewMetadata().withName("d").endMetadata().withNewSpec()
                .withReplicas(replicas).withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxSurge(intOrPercent(surge)).withMaxUnavailable(intOrPercent(unavailable))
                .endRollingUpdate().endStrategy().endSpec().build();
    }

    static ReplicaSet rs(int replicas) {
        return new ReplicaSetBuilder().withNewMetadata().withName("rs" + replicas).endMetadata()
                .withNewSpec().withReplicas(replicas).endSpec().build();
    }

    @ParameterizedTest(name = "{0} replicas, surge {1}, unavailable {2} -> {3}/{4}")
    @CsvSource({
            "10, 25%, 25%, 3, 2",   // surge rounds up, unavailability down
            "4,  25%, 25%, 1, 1",
            "1,  25%, 25%, 1, 0",
            "3,  0,   0,   0, 1",   // both zero would never progress: unavailability becomes 1
            "3,  0%,  0%,  0, 1",
            "5,  2,   1,   2, 1",
            "0,  25%, 25%, 0, 1",
    })
    void fenceposts(int replicas, String surge, String unavailable, int wantSurge, int wantUnavailable) {
        assertThat(RolloutMath.fenceposts(rolling(replicas, surge, unavailable)))
                .isEqualTo(new RolloutMath.Fenceposts(wantSurge, wantUnavailable));
    }

    @ParameterizedTest(name = "replicas {0}, surge {1}, new {2}, old {3} -> {4}")
    @CsvSource({
            "3, 1, 0, 3, 1",   // one surge pod at a time
            "3, 1, 1, 3, 1",   // at the surge limit: wait for old pods to go
            "3, 1, 1, 2, 2",
            "3, 1, 3, 0, 3",   // never beyond the desired count
            "10, 3, 0, 10, 3",
            "3, 5, 0, 3, 3",
    })
    void newReplicaSetGrowsWithinTheSurge(int replicas, int surge, int current, int old, int want) {
        Deployment d = rolling(replicas, Integer.toString(surge), "0");
        ReplicaSet newRS = rs(current);
        List<ReplicaSet> all = new ArrayList<>(List.of(rs(old)));
        all.add(newRS);
        assertThat(RolloutMath.newReplicaSetReplicas(d, all, newRS)).isEqualTo(want);
    }
}

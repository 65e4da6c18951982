package dev.skiff.node.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class IpPoolTest {

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    private static InetAddress allocated(Allocation allocation) {
        assertThat(allocation).isInstanceOf(Allocation.Allocated.class);
        return ((Allocation.Allocated) allocation).address();
    }

    @Test
    void aSubnetPoolSkipsTheNetworkGatewayAndBroadcastAddresses() throws Exception {
        IpPool pool = IpPool.forSubnet(Cidr.parse("10.1.0.0/29"));

        assertThat(pool.capacity()).isEqualTo(5);
        List<InetAddress> got = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            got.add(allocated(pool.allocate("pod-" + i)));
        }

        assertThat(got).containsExactly(ip("10.1.0.2"), ip("10.1.0.3"), ip("10.1.0.4"), ip("10.1.0.5"),
                ip("10.1.0.6"));
        assertThat(pool.allocate("pod-5")).isEqualTo(new Allocation.Exhausted(pool.cidr(), 5));
    }

    @Test
    void allocationIsIdempotentPerOwner() {
        IpPool pool = IpPool.forSubnet(Cidr.parse("10.1.0.0/24"));

        InetAddress first = allocated(pool.allocate("pod-a"));
        Allocation again = pool.allocate("pod-a");

        assertThat(again).isEqualTo(new Allocation.Allocated(first, true));
        assertThat(pool.allocated()).isEqualTo(1);
        assertThat(pool.addressOf("pod-a")).contains(first);
        assertThat(pool.ownerOf(first)).contains("pod-a");
    }

    @Test
    void aReleasedAddressIsReusedOnlyAfterTheRestOfThePool() throws Exception {
        IpPool pool = IpPool.forSubnet(Cidr.parse("10.1.0.0/29"));
        InetAddress a = allocated(pool.allocate("a"));
        allocated(pool.allocate("b"));

        assertThat(pool.release("a")).contains(a);
        assertThat(pool.release("a")).isEmpty();

        assertThat(allocated(pool.allocate("c"))).isEqualTo(ip("10.1.0.4"));
        assertThat(allocated(pool.allocate("d"))).isEqualTo(ip("10.1.0.5"));
        assertThat(allocated(pool.allocate("e"))).isEqualTo(ip("10.1.0.6"));
        // Wrapped around: now the released address comes back.
        assertThat(allocated(pool.allocate("f"))).isEqualTo(a);
        assertThat(pool.ownerOf(a)).contains("f");
    }

    @Test
    void neverHandsOutAnAddressTwiceWhileHeld() {
        IpPool pool = IpPool.forSubnet(Cidr.parse("10.2.0.0/22"));
        Set<InetAddress> held = new HashSet<>();
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 300; i++) {
                InetAddress got = allocated(pool.allocate("r" + round + "-" + i));
                assertThat(held.add(got)).as("handed out twice: %s", got).isTrue();
            }
            for (int i = 0; i < 300; i += 2) {
                held.remove(pool.release("r" + round + "-" + i).orElseThrow());
            }
        }
        assertThat(pool.allocated()).isEqualTo(held.size());
    }

    @Test
    void concurrentAllocationsGetDistinctAddresses() throws Exception {
        IpPool pool = IpPool.forSubnet(Cidr.parse("10.3.0.0/20"));
        Set<InetAddress> seen = ConcurrentHashMap.newKeySet();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                work.add(threads.submit(() -> {
                    for (int i = 0; i < 1000; i++) {
                        assertThat(seen.add(allocated(pool.allocate(thread + "-" + i)))).isTrue();
                    }
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(seen).hasSize(4000);
        assertThat(pool.allocated()).isEqualTo(4000);
    }

    @Test
    void claimsRestoreAssignmentsAfterARestart() throws Exception {
        IpPool pool = IpPool.forSubnet(Cidr.parse("10.1.0.0/24"));

        assertThat(pool.claim("a", ip("10.1.0.7"))).isEqualTo(new Claim.Claimed(ip("10.1.0.7")));
        assertThat(pool.claim("a", ip("10.1.0.7"))).isEqualTo(new Claim.Claimed(ip("10.1.0.7")));
        assertThat(pool.claim("b", ip("10.1.0.7"))).isEqualTo(new Claim.Conflict(ip("10.1.0.7"), "a"));
        assertThat(pool.claim("a", ip("10.1.0.8"))).isInstanceOf(Claim.Unusable.class);
        assertThat(pool.claim("c", ip("10.9.0.8"))).isInstanceOfSatisfying(Claim.Unusable.class,
                u -> assertThat(u.why()).contains("not in 10.1.0.0/24"));
        assertThat(pool.claim("c", ip("10.1.0.1"))).isInstanceOfSatisfying(Claim.Unusable.class,
                u -> assertThat(u.why()).contains("reserved"));
        assertThat(pool.claim("c", ip("10.1.0.255"))).isInstanceOf(Claim.Unusable.class);

        // New allocations continue after the highest restored address, and never return a claimed one.
        assertThat(allocated(pool.allocate("d"))).isEqualTo(ip("10.1.0.8"));
        assertThat(pool.allocate("a")).isEqualTo(new Allocation.Allocated(ip("10.1.0.7"), true));
    }

    @Test
    void refusesPoolsTooLargeOrWithoutUsableAddresses() {
        assertThatThrownBy(() -> IpPool.forSubnet(Cidr.parse("10.0.0.0/7"))).hasMessageContaining("too large");
        assertThatThrownBy(() -> IpPool.forSubnet(Cidr.parse("10.0.0.0/31"))).hasMessageContaining("no usable");
        assertThat(IpPool.forSubnet(Cidr.parse("fd00::/120")).capacity()).isEqualTo(254);
    }
}

package dev.skiff.apiserver.kubelet;

import java.util.List;
import java.util.Objects;

/**
 * How the API server reaches kubelets, as kube-apiserver's {@code --kubelet-client-certificate},
 * {@code --kubelet-client-key}, {@code --kubelet-certificate-authority} and {@code --kubelet-preferred-address-types}.
 *
 * @param certificatePem the client certificate the API server presents (its user must be authorized by kubelets)
 * @param privateKeyPem  its key
 * @param caPem          the CA kubelet serving certificates must chain to
 * @param addressTypes   which Node address to dial, in order of preference
 */
public record KubeletClientConfig(String certificatePem, String privateKeyPem, String caPem,
                                  List<String> addressTypes) {

    /**
     * InternalIP first (virtual nodes publish the address their kubelet server listens on there; their Hostname
     * address is the node's name, which no DNS resolves), then the rest as kubeadm clusters order them.
     */
    public static final List<String> DEFAULT_ADDRESS_TYPES = List.of("InternalIP", "InternalDNS", "ExternalIP",
            "ExternalDNS", "Hostname");

    public KubeletClientConfig {
        Objects.requireNonNull(certificatePem, "certificatePem");
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        Objects.requireNonNull(caPem, "caPem");
        addressTypes = List.copyOf(addressTypes == null ? DEFAULT_ADDRESS_TYPES : addressTypes);
    }

    public KubeletClientConfig(String certificatePem, String privateKeyPem, String caPem) {
        this(certificatePem, privateKeyPem, caPem, null);
    }
}

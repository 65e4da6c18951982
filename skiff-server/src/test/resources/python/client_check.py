"""Drives a Skiff cluster with the official Kubernetes Python client, unchanged.

Usage: client_check.py KUBECONFIG NAMESPACE
Prints one line per check ("ok <what>"); exits non-zero on the first failure.
"""
import sys

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException


def main(kubeconfig, namespace):
    config.load_kube_config(config_file=kubeconfig)
    core = client.CoreV1Api()
    apps = client.AppsV1Api()

    names = [n.metadata.name for n in core.list_namespace().items]
    assert "default" in names, names
    print("ok list namespaces")

    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=namespace)))
    cm = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="py", labels={"from": "python"}),
                            data={"k": "v"})
    created = core.create_namespaced_config_map(namespace, cm)
    assert created.metadata.resource_version, created
    print("ok create configmap")

    read = core.read_namespaced_config_map("py", namespace)
    assert read.data == {"k": "v"}, read.data
    print("ok read configmap")

    patched = core.patch_namespaced_config_map("py", namespace, {"data": {"k2": "v2"}})
    assert patched.data == {"k": "v", "k2": "v2"}, patched.data
    print("ok patch configmap")

    listed = core.list_namespaced_config_map(namespace, label_selector="from=python")
    assert [c.metadata.name for c in listed.items] == ["py"], listed.items
    print("ok list with a label selector")

    deployment = client.V1Deployment(
        metadata=client.V1ObjectMeta(name="web"),
        spec=client.V1DeploymentSpec(
            replicas=1,
            selector=client.V1LabelSelector(match_labels={"app": "web"}),
            template=client.V1PodTemplateSpec(
                metadata=client.V1ObjectMeta(labels={"app": "web"}),
                spec=client.V1PodSpec(containers=[client.V1Container(name="web", image="busybox")]))))
    apps.create_namespaced_deployment(namespace, deployment)
    apps.patch_namespaced_deployment_scale("web", namespace, {"spec": {"replicas": 3}})
    assert apps.read_namespaced_deployment("web", namespace).spec.replicas == 3
    print("ok deployment scale")

    try:
        core.read_namespaced_config_map("missing", namespace)
        raise AssertionError("expected a 404")
    except ApiException as e:
        assert e.status == 404, e.status
    print("ok 404 as ApiException")

    start = listed.metadata.resource_version
    core.delete_namespaced_config_map("py", namespace)
    seen = []
    for event in watch.Watch().stream(core.list_namespaced_config_map, namespace, resource_version=start,
                                      timeout_seconds=10):
        seen.append(event["type"])
        if event["type"] == "DELETED":
            break
    assert "DELETED" in seen, seen
    print("ok watch from a resourceVersion")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

package dev.skiff.control.controller.gc;

import dev.skiff.control.informers.SharedInformers;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.Optional;

/**
 * The informers of other components the garbage collector may watch through instead of opening its own
 * metadata-only watch: upstream's collector takes its monitors from the controller manager's shared informer factory
 * when that already has the resource. Pods matter most: without this, every pod event was decoded once more, as a
 * generic object, only for the collector to keep its metadata.
 *
 * <p>Thread-safe when the registry is.
 */
public interface SharedMonitors {

    /** No shared informers: the collector watches everything itself. */
    SharedMonitors NONE = new SharedMonitors() {
        @Override
        public Optional<SharedIndexInformer<? extends HasMetadata>> find(ResourceKind resource) {
            return Optional.empty();
        }

        @Override
        public void start() {
        }
    };

    /**
     * The shared informer for exactly this resource (same group, version and plural), if one exists; never creates
     * one. Non-blocking.
     */
    Optional<SharedIndexInformer<? extends HasMetadata>> find(ResourceKind resource);

    /** Starts the shared informers not yet running and waits for their first list (blocking, bounded). */
    void start();

    /** The informers of {@code shared} that already exist when the collector looks a resource up. */
    static SharedMonitors of(SharedInformers shared) {
        return new SharedMonitors() {
            @Override
            public Optional<SharedIndexInformer<? extends HasMetadata>> find(ResourceKind resource) {
                for (Class<?> kind : shared.kinds()) {
                    @SuppressWarnings("unchecked")
                    Class<? extends HasMetadata> type = (Class<? extends HasMetadata>) kind;
                    if (resource.group().equals(HasMetadata.getGroup(type))
                            && resource.version().equals(HasMetadata.getVersion(type))
                            && resource.plural().equals(HasMetadata.getPlural(type))) {
                        return Optional.of(shared.informer(type));
                    }
                }
                return Optional.empty();
            }

            @Override
            public void start() {
                shared.start();
            }
        };
    }
}

package dev.skiff.control.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.function.Consumer;

/** Informer event handlers more than one controller registers. */
public final class InformerHandlers {

    private InformerHandlers() {
    }

    /**
     * Calls {@code onDelete} for every object the informer reports deleted, ignoring adds and updates (e.g. a
     * deleted pod wakes its namespace's deletion; a deleted managed object is put back).
     */
    public static <T extends HasMetadata> void onDelete(SharedIndexInformer<T> informer, Consumer<T> onDelete) {
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
            }

            @Override
            public void onUpdate(T before, T after) {
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                onDelete.accept(obj);
            }
        });
    }
}

package dev.skiff.image.build;

import java.util.ArrayList;
import java.util.List;

/**
 * An image as the builder left it: its layers (bottom first), its config blob and its manifest blob, all files
 * under {@link #blobDir()} named by digest.
 *
 * @param blobDir the {@code blobs} directory that holds every blob under {@code sha256/}
 */
public record BuiltImage(List<Layer> layers, Blob config, Blob manifest, java.nio.file.Path blobDir) {

    public BuiltImage {
        layers = List.copyOf(layers);
    }

    /** Every blob a registry must hold before the manifest can be put: layers, then the config. */
    public List<Blob> contentBlobs() {
        List<Blob> blobs = new ArrayList<>();
        layers.forEach(l -> blobs.add(l.blob()));
        blobs.add(config);
        return blobs;
    }

    /** The sum of the layer blob sizes (compressed). */
    public long layerBytes() {
        return layers.stream().mapToLong(l -> l.blob().size()).sum();
    }
}

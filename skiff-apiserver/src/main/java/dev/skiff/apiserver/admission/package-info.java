/**
 * Admission inputs the composition root supplies: the ECI Profile's pod selectors ({@link PodSelectors}), which
 * the pod strategy applies to every pod it admits. The API server does not read the profile itself: whoever owns
 * {@code kube-system/eci-profile} parses it and hands the selectors over, so the server stays free of ECI
 * configuration formats.
 */
package dev.skiff.apiserver.admission;

package org.socsecgateway.codelist.service;

import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Singleton;

/**
 * This replica's name in the fetch records and claims: the pod name ({@code HOSTNAME} in Kubernetes), else a random
 * one.
 */
@Singleton
public class InstanceName {

    private final String name = Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank())
            .orElse("codelist-" + UUID.randomUUID().toString().substring(0, 8)) + "/" + UUID.randomUUID().toString().substring(0, 4);

    /** The name; unique per process (a restarted pod keeps its host name but gets a new suffix). */
    public String get() {
        return name;
    }
}

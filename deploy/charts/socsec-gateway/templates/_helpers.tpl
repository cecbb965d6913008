{{/*
Shared building blocks. Every service of the set is rendered by the same templates below; a service's own file
(templates/<service>.yaml with its templates/_<service>.tpl) only adds what is specific to it: its application
properties, its Secret mounts, its extra env and its egress rules. To add a service: a values block shaped like
tokenBroker/bcssProxy, a _<service>.tpl with "<service>.properties" / ".volumes" / ".volumeMounts", and a
<service>.yaml that calls "socsec.service-set" (copy bcss-proxy.yaml).

Context passed to the socsec.* templates (a dict):
  root          the chart's root context ($)
  svc           the service's values block (e.g. .Values.tokenBroker)
  component     the service's component name (e.g. token-broker)
  properties    the service-specific part of application.properties (string)
  volumes       extra pod volumes (YAML list, string)
  volumeMounts  extra container mounts (YAML list, string)
  env           extra container env (YAML list, string)
  ingressFrom   peers allowed on the http port (list)
  egress        extra egress rules (YAML list, string)
  extraPorts    extra container ports (YAML list, string; e.g. wsb-receiver's webhook port)
  extraIngress  extra ingress rules (YAML list, string)
  extraLabels   extra labels of every resource of the service (map; never part of the selector)
  noCallerAuth  true = the service serves no API: no caller-token (JWT) settings, no cluster CA mount, no egress to
                the API server (dfdg-poller)
  singleton     true = exactly one replica, replaced with strategy Recreate: the old pod is gone before the new one
                starts (dfdg-poller: DFDG allows one open WSRM sequence per organisation)
  managementOnly true = the Service exposes only the management port (health, metrics) and keeps not-ready pods,
                so metrics are scraped exactly when readiness is down (dfdg-poller)
*/}}

{{- define "socsec.chart" -}}
{{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* Resource name of a service: its values' name, or its component name. */}}
{{- define "socsec.name" -}}
{{ .svc.name | default .component | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* A name derived from a service's name plus "-<suffix>", at most 63 characters (a DNS label). Input: dict ctx (the
service context), suffix. */}}
{{- define "socsec.suffixedName" -}}
{{- $max := sub 62 (len .suffix) | int -}}
{{ printf "%s-%s" (include "socsec.name" .ctx | trunc $max | trimSuffix "-") .suffix }}
{{- end -}}

{{/* The release's identity, "<release name>.<release namespace>": the value of the caller labels
(socsec-gateway/bcss-client=<id>, ...) and the suffix of the services' token audiences, so that two releases in one
cluster (test and prod) never accept each other's callers. A label value: at most 63 characters (longer ones are cut
and end in a hash of the whole). Input: the chart's root context. */}}
{{- define "socsec.releaseId" -}}
{{- $id := printf "%s.%s" .Release.Name .Release.Namespace -}}
{{- if gt (len $id) 63 -}}
{{- $id = printf "%s-%s" ($id | trunc 52 | trimSuffix "-" | trimSuffix ".") (sha256sum $id | trunc 10) -}}
{{- end -}}
{{ $id }}
{{- end -}}

{{/* The audience a caller's projected token must carry for this service: "<service name>.<release id>"
(mp.jwt.verify.audiences). Input: the service context. */}}
{{- define "socsec.audience" -}}
{{ printf "%s.%s" (include "socsec.name" .) (include "socsec.releaseId" .root) }}
{{- end -}}

{{/* A NetworkPolicy peer for the pods of one of the chart's services: bound to the release namespace (a pod with the
same labels elsewhere does not match). Input: the service context. Output: YAML of one peer. */}}
{{- define "socsec.podPeer" -}}
namespaceSelector:
  matchLabels:
    kubernetes.io/metadata.name: {{ .root.Release.Namespace }}
podSelector:
  matchLabels:
    {{- include "socsec.selectorLabels" . | nindent 4 }}
{{- end -}}

{{/* The peers that a caller label lets in: namespaces labelled <label>=<release id>, and pods labelled so in the
release namespace. Input: dict root, labels (list of label keys). Output: YAML {peers: [...]}. */}}
{{- define "socsec.callerPeers" -}}
{{- $id := include "socsec.releaseId" .root -}}
{{- $peers := list -}}
{{- range .labels -}}
{{- $peers = append $peers (dict "namespaceSelector" (dict "matchLabels" (dict . $id))) -}}
{{- $peers = append $peers (dict "namespaceSelector" (dict "matchLabels" (dict "kubernetes.io/metadata.name" $.root.Release.Namespace)) "podSelector" (dict "matchLabels" (dict . $id))) -}}
{{- end -}}
{{- toYaml (dict "peers" $peers) -}}
{{- end -}}

{{- define "socsec.serviceAccountName" -}}
{{ .svc.serviceAccount.name | default (include "socsec.name" .) }}
{{- end -}}

{{- define "socsec.selectorLabels" -}}
app.kubernetes.io/name: {{ include "socsec.name" . }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{- define "socsec.labels" -}}
{{ include "socsec.selectorLabels" . }}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/part-of: socsec-gateway
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ include "socsec.chart" .root }}
socsec-gateway/environment: {{ .root.Values.bcss.environment }}
{{- with .extraLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* <image.registry>/<repository>@<digest>, or :<tag> (the service's, image.tag, or the chart's appVersion). With
image.refuseSnapshots (values-prod.yaml) a -SNAPSHOT tag without a digest fails the render. */}}
{{- define "socsec.image" -}}
{{- $global := .root.Values.image -}}
{{- $image := .svc.image -}}
{{- $registry := required "image.registry is required: the registry (and path) your CI pushes the images to, e.g. registry.example.org (values-site.yaml, deploy/README.md)" $global.registry -}}
{{- $tag := $image.tag | default $global.tag | default .root.Chart.AppVersion | toString -}}
{{- if $image.digest -}}
{{ printf "%s/%s@%s" (trimSuffix "/" $registry) $image.repository $image.digest }}
{{- else -}}
{{- if and $global.refuseSnapshots (hasSuffix "-SNAPSHOT" $tag) -}}
{{- fail (printf "%s: image tag %q is a mutable snapshot and image.refuseSnapshots is set (values-prod.yaml): set image.tag to the released version that acpt ran, or pin the service's image.digest (sha256:...)" .component $tag) -}}
{{- end -}}
{{ printf "%s/%s:%s" (trimSuffix "/" $registry) $image.repository $tag }}
{{- end -}}
{{- end -}}

{{/* The JVM options, read by the java launcher itself (the images start java directly, no run-java.sh): the
launcher's JDK_JAVA_OPTIONS. First the image's own options, then the garbage collector settings run-java.sh used to
add (the RSS figures in values.yaml were measured with them; without them a JVM with less than 2 CPUs or 1792 MiB
picks the serial collector), then the service's javaOpts (heap and direct memory; the last of two options wins). */}}
{{- define "socsec.jvmOptions" -}}
{{ printf "-Dquarkus.http.host=0.0.0.0 -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Dvertx.disableURIValidation=true -XX:+UseParallelGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:GCTimeRatio=4 -XX:AdaptiveSizePolicyWeight=90 -XX:+ExitOnOutOfMemoryError %s" (.svc.javaOpts | default "") | trim }}
{{- end -}}

{{/* A value for a .properties file: backslashes escaped, no line breaks. */}}
{{- define "socsec.propValue" -}}
{{ toString . | replace "\\" "\\\\" | replace "\n" "\\n" | replace "\r" "" }}
{{- end -}}

{{/* Fails early when an environment or channel name is unknown (also checked by values.schema.json). */}}
{{- define "socsec.validate" -}}
{{- if not (has .Values.bcss.environment (list "test" "acpt" "prod")) -}}
{{- fail (printf "bcss.environment must be test, acpt or prod, not %q" .Values.bcss.environment) -}}
{{- end -}}
{{- if not (has .Values.bcss.channel (list "extranet" "internet")) -}}
{{- fail (printf "bcss.channel must be extranet or internet, not %q" .Values.bcss.channel) -}}
{{- end -}}
{{- include "socsec.validateShutdown" . -}}
{{- end -}}

{{/* Mount point of the ConfigMap holding application.properties (QUARKUS_CONFIG_LOCATIONS points at it). */}}
{{- define "socsec.configDir" -}}/etc/socsec-gateway/config{{- end -}}
{{- define "socsec.clusterCaDir" -}}/etc/socsec-gateway/cluster-ca{{- end -}}

{{/* The application.properties part that every service shares: ports, hosts, caller authentication. */}}
{{- define "socsec.commonProperties" -}}
{{- $auth := .root.Values.callerAuth -}}
# Rendered by the socsec-gateway Helm chart ({{ include "socsec.chart" .root }}); overrides the application's
# built-in application.properties. Environment: {{ .root.Values.bcss.environment }}.
# Loaded through QUARKUS_CONFIG_LOCATIONS, this file would take the ordinal of environment variables (300) and tie
# with them; 260 keeps it above the built-in file (250) and below environment variables (300) and -D (400).
config_ordinal=260
quarkus.http.host=0.0.0.0
quarkus.http.port={{ .svc.ports.http }}
quarkus.management.host=0.0.0.0
quarkus.management.port={{ .svc.ports.management }}
# Graceful shutdown: in-flight requests get this long after SIGTERM (preStop sleep {{ .root.Values.shutdown.preStopSleepSeconds }} s first, grace period
# {{ .root.Values.shutdown.terminationGracePeriodSeconds }} s in all).
quarkus.shutdown.timeout={{ .root.Values.shutdown.timeoutSeconds }}s
{{- if not .noCallerAuth }}

# Callers: projected ServiceAccount tokens (audience {{ include "socsec.audience" . }}) from the cluster's issuer.
mp.jwt.verify.issuer={{ include "socsec.propValue" $auth.issuer }}
mp.jwt.verify.publickey.location={{ include "socsec.propValue" $auth.jwksUrl }}
mp.jwt.verify.audiences={{ include "socsec.audience" . }}
mp.jwt.verify.clock.skew={{ $auth.clockSkewSeconds }}
smallrye.jwt.jwks.forced-refresh-interval={{ $auth.jwksForcedRefreshMinutes }}
{{- if $auth.caConfigMap.name }}
smallrye.jwt.client.tls.certificate.path={{ include "socsec.clusterCaDir" . }}/{{ $auth.caConfigMap.key }}
{{- end }}
{{- end }}
{{- end -}}

{{/* extraProperties of a service, sorted by key. */}}
{{- define "socsec.extraProperties" -}}
{{- with .svc.extraProperties }}
# extraProperties
{{- range $key, $value := . }}
{{ $key }}={{ include "socsec.propValue" $value }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "socsec.fullProperties" -}}
{{ include "socsec.commonProperties" . }}

{{ .properties }}
{{ include "socsec.extraProperties" . }}
{{- end -}}

{{/* ---------------------------------------------------------------------------------------------------------- */}}
{{- define "socsec.serviceaccount" -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "socsec.serviceAccountName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "socsec.labels" . | nindent 4 }}
  {{- with .svc.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
# The services never call the Kubernetes API with their own identity.
automountServiceAccountToken: false
{{- end -}}

{{- define "socsec.configmap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "socsec.suffixedName" (dict "ctx" . "suffix" "config") }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "socsec.labels" . | nindent 4 }}
data:
  application.properties: |
    {{- include "socsec.fullProperties" . | nindent 4 }}
{{- end -}}

{{- define "socsec.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "socsec.name" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "socsec.labels" . | nindent 4 }}
    # What the ServiceMonitor selects: this Service only (never a second Service of the same pods).
    socsec-gateway/metrics: "true"
spec:
  type: ClusterIP
  selector:
    {{- include "socsec.selectorLabels" . | nindent 4 }}
  {{- if .managementOnly }}
  # Health and metrics only; not-ready pods stay listed so that their metrics are scraped while readiness is down.
  publishNotReadyAddresses: true
  {{- end }}
  ports:
    {{- if not .managementOnly }}
    - name: http
      port: {{ .svc.ports.http }}
      targetPort: http
      protocol: TCP
    {{- end }}
    - name: management
      port: {{ .svc.ports.management }}
      targetPort: management
      protocol: TCP
{{- end -}}

{{- define "socsec.deployment" -}}
{{- $root := .root -}}
{{- $svc := .svc -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "socsec.name" . }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "socsec.labels" . | nindent 4 }}
spec:
  {{- if .singleton }}
  # Exactly one pod, and never two at once, not even during a roll-out (Recreate stops the old pod first).
  replicas: 1
  {{- else }}
  replicas: {{ $svc.replicaCount }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "socsec.selectorLabels" . | nindent 6 }}
  strategy:
    {{- if .singleton }}
    type: Recreate
    {{- else }}
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1
    {{- end }}
  template:
    metadata:
      labels:
        {{- include "socsec.labels" . | nindent 8 }}
        {{- with $svc.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        # A changed configuration rolls the pods.
        checksum/config: {{ include "socsec.fullProperties" . | sha256sum }}
        {{- with $svc.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "socsec.serviceAccountName" . }}
      # Longer than the preStop sleep plus quarkus.shutdown.timeout (checked by socsec.validateShutdown).
      terminationGracePeriodSeconds: {{ $root.Values.shutdown.terminationGracePeriodSeconds }}
      automountServiceAccountToken: false
      enableServiceLinks: false
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      containers:
        - name: {{ .component }}
          image: {{ include "socsec.image" . | quote }}
          imagePullPolicy: {{ $svc.image.pullPolicy }}
          lifecycle:
            # Endpoints and load balancers drop the pod while it sleeps; then SIGTERM, and Quarkus finishes the
            # requests in flight (quarkus.shutdown.timeout). Kubernetes' own sleep action: no shell in the image.
            preStop:
              sleep:
                seconds: {{ $root.Values.shutdown.preStopSleepSeconds }}
          securityContext:
            {{- toYaml $root.Values.containerSecurityContext | nindent 12 }}
          ports:
            - name: http
              containerPort: {{ $svc.ports.http }}
              protocol: TCP
            - name: management
              containerPort: {{ $svc.ports.management }}
              protocol: TCP
            {{- with .extraPorts }}
            {{- . | nindent 12 }}
            {{- end }}
          env:
            - name: QUARKUS_CONFIG_LOCATIONS
              value: {{ include "socsec.configDir" . }}/application.properties
            # Read by the java launcher (the images start java directly). Replaces the image's own, so its options
            # are repeated (the URI check is left to the service, which answers problem+json: common's
            # FrameworkProblems), then the service's javaOpts (heap and direct memory).
            - name: JDK_JAVA_OPTIONS
              value: {{ include "socsec.jvmOptions" . | quote }}
            {{- with .env }}
            {{- . | nindent 12 }}
            {{- end }}
          startupProbe:
            httpGet:
              path: /q/health/started
              port: management
            periodSeconds: {{ $svc.probes.startup.periodSeconds }}
            failureThreshold: {{ $svc.probes.startup.failureThreshold }}
            timeoutSeconds: {{ $svc.probes.startup.timeoutSeconds }}
          livenessProbe:
            httpGet:
              path: /q/health/live
              port: management
            periodSeconds: {{ $svc.probes.liveness.periodSeconds }}
            failureThreshold: {{ $svc.probes.liveness.failureThreshold }}
            timeoutSeconds: {{ $svc.probes.liveness.timeoutSeconds }}
          readinessProbe:
            httpGet:
              path: /q/health/ready
              port: management
            periodSeconds: {{ $svc.probes.readiness.periodSeconds }}
            failureThreshold: {{ $svc.probes.readiness.failureThreshold }}
            timeoutSeconds: {{ $svc.probes.readiness.timeoutSeconds }}
          resources:
            {{- toYaml $svc.resources | nindent 12 }}
          volumeMounts:
            - name: config
              mountPath: {{ include "socsec.configDir" . }}
              readOnly: true
            - name: tmp
              mountPath: /tmp
            {{- if and $root.Values.callerAuth.caConfigMap.name (not .noCallerAuth) }}
            - name: cluster-ca
              mountPath: {{ include "socsec.clusterCaDir" . }}
              readOnly: true
            {{- end }}
            {{- with .volumeMounts }}
            {{- . | nindent 12 }}
            {{- end }}
      volumes:
        - name: config
          configMap:
            name: {{ include "socsec.suffixedName" (dict "ctx" . "suffix" "config") }}
        - name: tmp
          emptyDir:
            sizeLimit: {{ $root.Values.tmpSizeLimit }}
        {{- with $root.Values.callerAuth.caConfigMap }}
        {{- if and .name (not $.noCallerAuth) }}
        - name: cluster-ca
          configMap:
            name: {{ .name }}
            items:
              - key: {{ .key }}
                path: {{ .key }}
        {{- end }}
        {{- end }}
        {{- with .volumes }}
        {{- . | nindent 8 }}
        {{- end }}
      {{- with $svc.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $svc.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $svc.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- if $svc.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- toYaml $svc.topologySpreadConstraints | nindent 8 }}
      {{- else if and $root.Values.topologySpread.enabled (not .singleton) }}
      # Soft spreading over nodes and zones (topologySpread): one node or zone lost takes few replicas with it.
      topologySpreadConstraints:
        {{- range $root.Values.topologySpread.topologyKeys }}
        - topologyKey: {{ . }}
          maxSkew: {{ $root.Values.topologySpread.maxSkew }}
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              {{- include "socsec.selectorLabels" $ | nindent 14 }}
          matchLabelKeys:
            - pod-template-hash
        {{- end }}
      {{- end }}
{{- end -}}

{{/* Egress to the cluster DNS and to the API server (caller-token JWKS); every service needs both, except one that
verifies no caller tokens (noCallerAuth): DNS only. */}}
{{- define "socsec.baseEgress" -}}
{{- $np := .root.Values.networkPolicy -}}
- to:
    {{- toYaml $np.dns.peers | nindent 4 }}
  ports:
    {{- range $np.dns.ports }}
    - protocol: UDP
      port: {{ . }}
    - protocol: TCP
      port: {{ . }}
    {{- end }}
{{- if not .noCallerAuth }}
{{- if not $np.apiServer.cidrs }}
{{- fail "networkPolicy.apiServer.cidrs is required: the addresses that serve callerAuth.jwksUrl, i.e. the API server's endpoint IPs (kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes -o jsonpath='{.items[*].endpoints[*].addresses}'), as /32 CIDRs in values-site.yaml; egress is never open to any address (deploy/README.md)" }}
{{- end }}
# the API server (caller-token JWKS)
{{ include "socsec.egressRule" (dict "cidrs" $np.apiServer.cidrs "ports" $np.apiServer.ports) | trim }}
{{- end }}
{{- end -}}

{{/* One egress rule: TCP ports to CIDRs; no CIDRs = no rule (never "any address on these ports"). Input: dict
cidrs, ports. */}}
{{- define "socsec.egressRule" -}}
{{- if .cidrs }}
- to:
    {{- range .cidrs }}
    - ipBlock:
        cidr: {{ . }}
    {{- end }}
  ports:
    {{- range .ports }}
    - protocol: TCP
      port: {{ . }}
    {{- end }}
{{- end }}
{{- end -}}

{{- define "socsec.networkpolicy" -}}
{{- $np := .root.Values.networkPolicy -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "socsec.name" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "socsec.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "socsec.selectorLabels" . | nindent 6 }}
  policyTypes:
    - Ingress
    - Egress
  {{- if not (or .ingressFrom $np.monitoringNamespace .extraIngress .root.Values.helmTest.enabled) }}
  ingress: []
  {{- else }}
  ingress:
    {{- if .ingressFrom }}
    # The service's API: only the allowed callers.
    - from:
        {{- toYaml .ingressFrom | nindent 8 }}
      ports:
        - protocol: TCP
          port: {{ .svc.ports.http }}
    {{- end }}
    {{- if $np.monitoringNamespace }}
    # Health and metrics: the monitoring namespace (kubelet probes are not subject to network policies).
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: {{ $np.monitoringNamespace }}
      ports:
        - protocol: TCP
          port: {{ .svc.ports.management }}
    {{- end }}
    {{- if .root.Values.helmTest.enabled }}
    # Readiness: the release's helm test pods (templates/tests).
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: {{ .root.Release.Namespace }}
          podSelector:
            matchLabels:
              {{- include "socsec.helmTestLabels" .root | nindent 14 }}
      ports:
        - protocol: TCP
          port: {{ .svc.ports.management }}
    {{- end }}
    {{- with .extraIngress }}
    {{- . | nindent 4 }}
    {{- end }}
  {{- end }}
  egress:
    {{- include "socsec.baseEgress" . | nindent 4 }}
    {{- with .egress }}
    {{- . | nindent 4 }}
    {{- end }}
{{- end -}}

{{- define "socsec.servicemonitor" -}}
{{- $sm := .root.Values.metrics.serviceMonitor -}}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "socsec.name" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "socsec.labels" . | nindent 4 }}
    {{- with $sm.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "socsec.selectorLabels" . | nindent 6 }}
      socsec-gateway/metrics: "true"
  namespaceSelector:
    matchNames:
      - {{ .root.Release.Namespace }}
  endpoints:
    - port: management
      path: /q/metrics
      scheme: http
      interval: {{ $sm.interval }}
      scrapeTimeout: {{ $sm.scrapeTimeout }}
{{- end -}}

{{- define "socsec.pdb" -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "socsec.name" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "socsec.labels" . | nindent 4 }}
spec:
  maxUnavailable: {{ .svc.podDisruptionBudget.maxUnavailable }}
  # A pod that is not ready serves nothing: evicting it never makes an outage worse, and a node drain is not blocked
  # by a crash-looping pod.
  unhealthyPodEvictionPolicy: AlwaysAllow
  selector:
    matchLabels:
      {{- include "socsec.selectorLabels" . | nindent 6 }}
{{- end -}}

{{/* The database connection, only from the Secret (the chart never creates it): env
QUARKUS_DATASOURCE_JDBC_URL / _USERNAME / _PASSWORD. Input: the service's database values (existingSecret, urlKey,
usernameKey, passwordKey). */}}
{{- define "socsec.databaseEnv" -}}
{{- $db := . -}}
- name: QUARKUS_DATASOURCE_JDBC_URL
  valueFrom:
    secretKeyRef:
      name: {{ $db.existingSecret }}
      key: {{ $db.urlKey }}
- name: QUARKUS_DATASOURCE_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ $db.existingSecret }}
      key: {{ $db.usernameKey }}
- name: QUARKUS_DATASOURCE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $db.existingSecret }}
      key: {{ $db.passwordKey }}
{{- end -}}

{{/* Egress to PostgreSQL: databasePorts to databaseCidrs and/or databasePeers; both empty fails the render (never
"any address on 5432"). Input: dict np (the service's networkPolicy values), key (its values key, for the message),
enabled (networkPolicy.enabled: without policies nothing is required). */}}
{{- define "socsec.databaseEgress" -}}
{{- $np := .np -}}
{{- if and .enabled (not (or $np.databaseCidrs $np.databasePeers)) }}
{{- fail (printf "%s.networkPolicy.databaseCidrs or .databasePeers is required: where PostgreSQL runs (values-site.yaml or values-<env>.yaml); egress is never open to any address on %v" .key $np.databasePorts) }}
{{- end }}
# PostgreSQL
- to:
    {{- range $np.databaseCidrs }}
    - ipBlock:
        cidr: {{ . }}
    {{- end }}
    {{- with $np.databasePeers }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  ports:
    {{- range $np.databasePorts }}
    - protocol: TCP
      port: {{ . }}
    {{- end }}
{{- end -}}

{{/* The grace period must cover the preStop sleep and Quarkus' shutdown timeout, or the kubelet kills requests in
flight. Input: the chart's root context. */}}
{{- define "socsec.validateShutdown" -}}
{{- $s := .Values.shutdown -}}
{{- if le (int $s.terminationGracePeriodSeconds) (add $s.preStopSleepSeconds $s.timeoutSeconds | int) -}}
{{- fail (printf "shutdown.terminationGracePeriodSeconds (%v) must be larger than shutdown.preStopSleepSeconds (%v) + shutdown.timeoutSeconds (%v): otherwise the kubelet kills requests still in flight" $s.terminationGracePeriodSeconds $s.preStopSleepSeconds $s.timeoutSeconds) -}}
{{- end -}}
{{- end -}}

{{/* quarkus.datasource.jdbc.max-size, checked against the connections PostgreSQL gives the service: every replica,
plus the one a rolling update adds (maxSurge 1), may fill its pool. Input: dict svc (the service's values), key. */}}
{{- define "socsec.databasePool" -}}
{{- $db := .svc.database -}}
{{- $pods := add (int .svc.replicaCount) 1 | int -}}
{{- $needed := mul $pods (int $db.poolMaxSize) | int -}}
{{- if gt $needed (int $db.maxConnections) -}}
{{- fail (printf "%s: (replicaCount %v + 1 during a roll-out) x database.poolMaxSize %v = %v connections, more than database.maxConnections %v (what PostgreSQL's max_connections leaves for this service): lower the pool or raise max_connections" .key .svc.replicaCount $db.poolMaxSize $needed $db.maxConnections) -}}
{{- end -}}
# PostgreSQL pool: (replicas {{ .svc.replicaCount }} + 1 in a roll-out) x {{ $db.poolMaxSize }} = {{ $needed }} connections at most (database.maxConnections {{ $db.maxConnections }})
quarkus.datasource.jdbc.max-size={{ $db.poolMaxSize }}
{{- end -}}

{{/* All resources of one service, separated by "---". */}}
{{- define "socsec.service-set" -}}
{{- $root := .root -}}
---
{{ include "socsec.serviceaccount" . }}
---
{{ include "socsec.configmap" . }}
---
{{ include "socsec.service" . }}
---
{{ include "socsec.deployment" . }}
{{- if $root.Values.networkPolicy.enabled }}
---
{{ include "socsec.networkpolicy" . }}
{{- end }}
{{- if $root.Values.metrics.serviceMonitor.enabled }}
---
{{ include "socsec.servicemonitor" . }}
{{- end }}
{{- if and (not .singleton) (.svc.podDisruptionBudget).enabled (gt (int .svc.replicaCount) 1) }}
---
{{ include "socsec.pdb" . }}
{{- end }}
{{- end -}}

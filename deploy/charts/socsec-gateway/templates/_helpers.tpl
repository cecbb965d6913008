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

{{- define "socsec.image" -}}
{{ printf "%s:%s" .svc.image.repository (.svc.image.tag | default .root.Chart.AppVersion) }}
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
{{- if not .noCallerAuth }}

# Callers: projected ServiceAccount tokens (audience {{ include "socsec.name" . }}) from the cluster's issuer.
mp.jwt.verify.issuer={{ include "socsec.propValue" $auth.issuer }}
mp.jwt.verify.publickey.location={{ include "socsec.propValue" $auth.jwksUrl }}
mp.jwt.verify.audiences={{ include "socsec.name" . }}
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
  name: {{ include "socsec.name" . }}-config
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
            # Replaces the image's JAVA_OPTS_APPEND, so its options are repeated (the URI check is left to the
            # service, which answers problem+json: common's FrameworkProblems).
            - name: JAVA_OPTS_APPEND
              value: {{ printf "-Djava.util.logging.manager=org.jboss.logmanager.LogManager -Dvertx.disableURIValidation=true %s" ($svc.javaOpts | default "") | trim | quote }}
            {{- with .env }}
            {{- . | nindent 12 }}
            {{- end }}
          startupProbe:
            httpGet:
              path: /q/health/started
              port: management
            periodSeconds: {{ $svc.probes.startup.periodSeconds }}
            failureThreshold: {{ $svc.probes.startup.failureThreshold }}
            timeoutSeconds: 2
          livenessProbe:
            httpGet:
              path: /q/health/live
              port: management
            periodSeconds: {{ $svc.probes.liveness.periodSeconds }}
            failureThreshold: {{ $svc.probes.liveness.failureThreshold }}
            timeoutSeconds: 2
          readinessProbe:
            httpGet:
              path: /q/health/ready
              port: management
            periodSeconds: {{ $svc.probes.readiness.periodSeconds }}
            failureThreshold: {{ $svc.probes.readiness.failureThreshold }}
            timeoutSeconds: 2
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
            name: {{ include "socsec.name" . }}-config
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
      {{- with $svc.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- toYaml . | nindent 8 }}
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
{{ include "socsec.egressRule" (dict "cidrs" $np.apiServer.cidrs "ports" $np.apiServer.ports) | trim }}
{{- end }}
{{- end -}}

{{/* One egress rule: TCP ports to CIDRs (none = any destination). Input: dict cidrs, ports. */}}
{{- define "socsec.egressRule" -}}
{{- if .cidrs }}
- to:
    {{- range .cidrs }}
    - ipBlock:
        cidr: {{ . }}
    {{- end }}
  ports:
{{- else }}
- ports:
{{- end }}
    {{- range .ports }}
    - protocol: TCP
      port: {{ . }}
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
        - podSelector:
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

{{/* Egress to PostgreSQL: databasePorts to databaseCidrs and/or databasePeers (both empty = any destination).
Input: the service's networkPolicy values. */}}
{{- define "socsec.databaseEgress" -}}
{{- $np := . -}}
# PostgreSQL
{{- if or $np.databaseCidrs $np.databasePeers }}
- to:
    {{- range $np.databaseCidrs }}
    - ipBlock:
        cidr: {{ . }}
    {{- end }}
    {{- with $np.databasePeers }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  ports:
{{- else }}
- ports:
{{- end }}
    {{- range $np.databasePorts }}
    - protocol: TCP
      port: {{ . }}
    {{- end }}
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

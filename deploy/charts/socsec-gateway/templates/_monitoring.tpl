{{/*
Shared parts of the operator extras: alerts (prometheusrule.yaml), the Grafana dashboard (grafana-dashboard.yaml)
and the helm test pods (tests/readiness.yaml).

The services, in the order the rules and the dashboard show them: values key and component name. A service whose
values block has enabled: false is left out everywhere.
*/}}
{{- define "socsec.monitoredServices" -}}
- key: tokenBroker
  component: token-broker
- key: bcssProxy
  component: bcss-proxy
- key: wsbReceiver
  component: wsb-receiver
- key: dfdgPoller
  component: dfdg-poller
- key: codelistService
  component: codelist-service
{{- end -}}

{{/* The label selector of one service's series as the chart's ServiceMonitor scrapes them: the release namespace
and job = the Service's name (the Prometheus Operator's default job label). Input: dict root, svc, component. */}}
{{- define "socsec.seriesSelector" -}}
namespace="{{ .root.Release.Namespace }}",job="{{ include "socsec.name" . }}"
{{- end -}}

{{/* One alerting rule as a YAML list item, or nothing when its name is in prometheusRule.disabled.
Input: dict root, svc, component, alert, expr (SEL = the service's series selector), for, severity, summary,
description, check (what to check first). */}}
{{- define "socsec.alertRule" -}}
{{- $pr := .root.Values.prometheusRule -}}
{{- if not (has .alert $pr.disabled) -}}
{{- $sel := include "socsec.seriesSelector" . -}}
{{- $labels := merge (dict "severity" .severity "service" .component) (deepCopy $pr.alertLabels) -}}
{{- $annotations := dict "summary" .summary "description" .description "runbook" (printf "Check first: %s" .check) -}}
{{- $rule := dict "alert" .alert "expr" (replace "SEL" $sel .expr) "labels" $labels "annotations" $annotations -}}
{{- if .for }}{{ $_ := set $rule "for" .for }}{{ end -}}
{{ toYaml (list $rule) }}
{{- end -}}
{{- end -}}

{{/* The two alerts of one certificate's days-left gauge: warning below prometheusRule.certificates.warningDays,
critical below criticalDays (the warning stops where the critical one starts). NaN (no certificate loaded) fires
neither: readiness and the service's own alerts cover that. Input: as socsec.alertRule, plus metric, what
(the certificate, for the text) and alert (name prefix). */}}
{{- define "socsec.certificateAlerts" -}}
{{- $c := .root.Values.prometheusRule.certificates -}}
{{- $warning := merge (dict "alert" (printf "%sExpiresIn%dDays" .alert (int $c.warningDays))
      "expr" (printf "%s{SEL} < %d and %s{SEL} >= %d" .metric (int $c.warningDays) .metric (int $c.criticalDays))
      "for" "1h" "severity" "warning"
      "summary" (printf "%s expires in {{ $value | humanize }} days" .what)) . -}}
{{- $critical := merge (dict "alert" (printf "%sExpiresIn%dDays" .alert (int $c.criticalDays))
      "expr" (printf "%s{SEL} < %d" .metric (int $c.criticalDays))
      "for" "10m" "severity" "critical"
      "summary" (printf "%s expires in {{ $value | humanize }} days" .what)) . -}}
{{ include "socsec.alertRule" $warning }}
{{ include "socsec.alertRule" $critical }}
{{- end -}}

{{/* Labels of the helm test pods; the NetworkPolicies let pods with them reach the management ports. */}}
{{- define "socsec.helmTestLabels" -}}
app.kubernetes.io/instance: {{ .Release.Name }}
socsec-gateway/helm-test: "true"
{{- end -}}

{{/* The helm test pods (templates/tests/readiness.yaml), one per enabled service, as "---"-separated documents.
Each asks the service's readiness (/q/health/ready) on its management port through its Service. */}}
{{- define "socsec.helmTestPods" -}}
{{- if .Values.helmTest.enabled }}
{{- $t := .Values.helmTest -}}
{{- $repository := printf "%s/%s" ($t.image.registry | default $.Values.image.registry) $t.image.repository -}}
{{- $image := printf "%s:%s" $repository $t.image.tag -}}
{{- if $t.image.digest }}{{ $image = printf "%s@%s" $repository $t.image.digest }}{{ end -}}
{{- range $s := include "socsec.monitoredServices" . | fromYamlArray }}
{{- $svc := index $.Values $s.key }}
{{- if $svc.enabled }}
{{- $ctx := dict "root" $ "svc" $svc "component" $s.component }}
{{- $name := include "socsec.name" $ctx }}
---
apiVersion: v1
kind: Pod
metadata:
  name: {{ printf "%s-test-ready" ($name | trunc 52 | trimSuffix "-") }}
  namespace: {{ $.Release.Namespace }}
  labels:
    {{- include "socsec.helmTestLabels" $ | nindent 4 }}
    app.kubernetes.io/component: {{ $s.component }}-test
    app.kubernetes.io/part-of: socsec-gateway
    app.kubernetes.io/managed-by: {{ $.Release.Service }}
    helm.sh/chart: {{ include "socsec.chart" $ }}
  annotations:
    helm.sh/hook: test
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  restartPolicy: Never
  automountServiceAccountToken: false
  enableServiceLinks: false
  {{- with $.Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- toYaml $.Values.podSecurityContext | nindent 4 }}
  containers:
    - name: readiness
      image: {{ $image | quote }}
      imagePullPolicy: {{ $t.image.pullPolicy }}
      securityContext:
        {{- toYaml $.Values.containerSecurityContext | nindent 8 }}
      # -f: a 503 (not ready) fails; retried every 2 s (also refused connections) until timeoutSeconds.
      command:
        - curl
        - --fail
        - --silent
        - --show-error
        - --max-time
        - "5"
        - --retry
        - {{ div (int $t.timeoutSeconds) 2 | max 1 | quote }}
        - --retry-delay
        - "2"
        - --retry-max-time
        - {{ $t.timeoutSeconds | quote }}
        - --retry-connrefused
        - --retry-all-errors
        - {{ printf "http://%s.%s.svc:%v/q/health/ready" $name $.Release.Namespace $svc.ports.management | quote }}
      resources:
        {{- toYaml $t.resources | nindent 8 }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}

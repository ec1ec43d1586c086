{{- define "capi-gateway.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "capi-gateway.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "capi-gateway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "capi-gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "capi-gateway.labels" -}}
{{ include "capi-gateway.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "capi-gateway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "capi-gateway.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Whether the access-control mode impersonates callers (rbac.impersonate, else auth.mode). */}}
{{- define "capi-gateway.impersonate" -}}
{{- if kindIs "bool" .Values.rbac.impersonate -}}
{{- .Values.rbac.impersonate -}}
{{- else -}}
{{- ne .Values.auth.mode "none" -}}
{{- end -}}
{{- end -}}

{{- define "capi-gateway.usesTokenFile" -}}
{{- or (eq .Values.auth.mode "tokenFile") (eq .Values.auth.mode "tokenFileAndOidc") -}}
{{- end -}}

{{- define "capi-gateway.usesOidc" -}}
{{- or (eq .Values.auth.mode "oidc") (eq .Values.auth.mode "tokenFileAndOidc") -}}
{{- end -}}

{{- define "capi-gateway.authSecretName" -}}
{{- default (printf "%s-auth" (include "capi-gateway.fullname" .)) .Values.auth.tokenFile.existingSecret -}}
{{- end -}}

{{- define "capi-gateway.remoteSecretName" -}}
{{- default (printf "%s-kubeconfig-%s" (include "capi-gateway.fullname" .root) .mc.name) .mc.existingSecret -}}
{{- end -}}

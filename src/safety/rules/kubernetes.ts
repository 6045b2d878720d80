/**
 * Kubernetes and Helm: deleting namespaces, volumes and workloads, draining nodes, uninstalling
 * releases.
 *
 * @module
 */

import { rules } from "../rule.ts";
import { hasOption } from "../tools.ts";

/** Kubernetes kinds whose deletion takes everything in them (a CRD takes all its objects). */
const KUBE_WHOLE =
  /^(all|ns|namespaces?|projects?|pv|persistentvolumes?|crds?|customresourcedefinitions?|clusters?)([/.,]|$)/;

export const kubernetesRules = rules("kube", [
  {
    id: "delete-namespace",
    risk: "high",
    reason: "deletes a whole namespace or volume, or every resource of a kind",
    on: "kubectl delete",
    group: "kube-delete",
    // `-A` with a selector deletes what matches everywhere, not everything.
    match: (r) =>
      KUBE_WHOLE.test(r.words[1] ?? "") || hasOption(r, "--all") ||
      (hasOption(r, "-A") || hasOption(r, "--all-namespaces")) &&
        !["-l", "--selector", "--field-selector"].some((f) => hasOption(r, f)),
    examples: {
      hit: [
        "kubectl delete ns staging",
        "kubectl --context prod delete namespace x",
        "k delete pods --all",
        "oc delete project demo",
        "kubectl delete all --all -n prod",
        "kubectl -n kube-system delete crd certificates.cert-manager.io",
        "kubectl delete pv pv-data-0",
        "kubectl delete deploy -A",
      ],
      miss: [
        "kubectl delete ns staging --dry-run=client",
        "kubectl get ns",
        "kubectl delete pod nsq-0",
        "kubectl delete node worker-3",
        "kubectl delete pods -A --field-selector status.phase=Failed",
      ],
    },
  },
  {
    id: "delete",
    risk: "moderate",
    reason: "deletes Kubernetes resources",
    on: "kubectl delete",
    group: "kube-delete",
    examples: {
      hit: ["kubectl delete pod web-1", "k delete -n test deploy/x", "kubectl delete -f app.yaml"],
      miss: ["kubectl get pods", "kubectl describe pod delete"],
    },
  },
  {
    id: "disrupt",
    risk: "moderate",
    reason: "changes running workloads or takes a node out of service",
    on: ["drain", "cordon", "taint", "scale", "autoscale", "patch", "edit", "set", "replace"]
      .concat(["rollout", "apply"]).map((w) => `kubectl ${w}`),
    match: (r) => {
      const [a, b] = r.words;
      if (a === "replace") return hasOption(r, "--force");
      if (a === "apply") return hasOption(r, "--force") || hasOption(r, "--prune");
      if (a === "rollout") return ["restart", "undo", "pause", "resume"].includes(b);
      return a !== "set" || b !== undefined;
    },
    examples: {
      hit: [
        "kubectl drain node01 --ignore-daemonsets",
        "kubectl cordon node01",
        "kubectl scale deploy/web --replicas=0",
        "kubectl rollout undo deploy/x",
        "kubectl apply -f x.yaml --force",
        "k set env deploy/x A=1",
      ],
      miss: [
        "kubectl apply -f deployment.yaml",
        "kubectl replace -f deployment.yaml",
        "kubectl get nodes",
        "kubectl uncordon node01",
        "k set",
      ],
    },
  },
  {
    id: "helm-uninstall",
    risk: "moderate",
    reason: "uninstalls or rolls back a Helm release",
    on: ["helm uninstall", "helm delete", "helm del", "helm un", "helm rollback"],
    examples: {
      hit: ["helm uninstall my-release", "helm -n prod delete web", "helm rollback web 3"],
      miss: ["helm history my-release", "helm repo remove bitnami", "helm plugin uninstall x"],
    },
  },
  {
    id: "destroy-all-releases",
    risk: "high",
    reason: "uninstalls every release the helmfile describes",
    on: ["helmfile destroy", "helmfile delete"],
    examples: { hit: ["helmfile -e prod destroy"], miss: ["helmfile diff"] },
  },
]);

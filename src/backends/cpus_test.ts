import { assertEquals, assertThrows } from "../../test/support/assert.ts";
import { cgroupCpuLimit, inferenceThreads } from "./cpus.ts";
import { CmdaiError } from "../errors.ts";

const files = (map: Record<string, string>) => (p: string) => map[p];
const env = (map: Record<string, string>) => ({ get: (k: string) => map[k] });

Deno.test("cgroup v2 quota rounds up to whole cores", () => {
  assertEquals(cgroupCpuLimit(files({ "/sys/fs/cgroup/cpu.max": "150000 100000\n" })), 2);
  assertEquals(cgroupCpuLimit(files({ "/sys/fs/cgroup/cpu.max": "50000 100000" })), 1);
  assertEquals(cgroupCpuLimit(files({ "/sys/fs/cgroup/cpu.max": "max 100000" })), undefined);
});

Deno.test("cgroup v1 quota is read when v2 is absent", () => {
  const v1 = files({
    "/sys/fs/cgroup/cpu/cpu.cfs_quota_us": "300000",
    "/sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000",
  });
  assertEquals(cgroupCpuLimit(v1), 3);
  assertEquals(cgroupCpuLimit(files({ "/sys/fs/cgroup/cpu/cpu.cfs_quota_us": "-1" })), undefined);
});

Deno.test("threads: the smaller of cores and the cgroup limit, or CMDAI_THREADS", () => {
  assertEquals(inferenceThreads(env({}), 16, 2), 2);
  assertEquals(inferenceThreads(env({}), 4, undefined), 4);
  assertEquals(inferenceThreads(env({ CMDAI_THREADS: "3" }), 16, 2), 3);
  for (const bad of ["0", "-1", "two", "1.5"]) {
    assertThrows(() => inferenceThreads(env({ CMDAI_THREADS: bad }), 2, 2), CmdaiError);
  }
});

package org.jctdb.leader.sim;

import org.jctdb.protocol.NodeFlags;

/** Plans the faults of one schedule, all before the heal time, all from the schedule's seed. */
final class FaultInjector {
    private final Simulation sim;

    FaultInjector(Simulation sim) {
        this.sim = sim;
    }

    void plan() {
        sim.lossRate = sim.rnd.nextInt(3) == 0 ? sim.rnd.nextDouble() * 0.3 : 0;
        sim.maxDelay = sim.rnd.nextInt(3) == 0 ? 1 + sim.rnd.nextLong(1_500) : 20;
        int faults = 2 + sim.rnd.nextInt(10);
        for (int i = 0; i < faults; i++) {
            long at = sim.rnd.nextLong(sim.healAt);
            long len = 500 + sim.rnd.nextLong(15_000);
            long end = Math.min(at + len, sim.healAt);
            SimNode nd = sim.nodes[sim.rnd.nextInt(sim.n)];
            switch (sim.rnd.nextInt(11)) {
                case 0 -> {
                    sim.at(at, () -> sim.crash(nd));
                    if (sim.rnd.nextBoolean()) {
                        sim.at(end, () -> sim.restart(nd));
                    }
                }
                case 1 -> {
                    sim.at(at, () -> sim.pause(nd));
                    sim.at(end, () -> sim.resume(nd));
                }
                case 2 -> {
                    int[] groups = new int[sim.n];
                    for (int j = 0; j < sim.n; j++) {
                        groups[j] = sim.rnd.nextInt(2);
                    }
                    sim.at(at, () -> sim.partition(groups));
                    sim.at(end, () -> sim.partition(new int[sim.n]));
                }
                case 3 ->
                    sim.at(at, () -> {
                        if (!sim.lock.hung()) { // a hung file system cannot be changed either
                            sim.trace.add(sim.now, -1, "LOCK FILE REPLACED");
                            sim.lock.replaceFile();
                        }
                    });
                case 4 -> {
                    sim.at(at, () -> {
                        sim.trace.add(sim.now, -1, "STORAGE HUNG");
                        sim.lock.setHung(true);
                    });
                    sim.at(end, () -> {
                        sim.trace.add(sim.now, -1, "STORAGE BACK");
                        sim.lock.setHung(false);
                        sim.storageAnswered();
                    });
                }
                case 5 -> {
                    int flag = sim.rnd.nextBoolean() ? NodeFlags.STOPPED : NodeFlags.BANNED;
                    sim.at(at, () -> sim.setFlags(nd, flag));
                    sim.at(end, () -> sim.setFlags(nd, 0));
                }
                case 6 -> {
                    // crash and restart quickly: a restarted node forgets every generation it saw
                    sim.at(at, () -> sim.crash(nd));
                    sim.at(at + 100 + sim.rnd.nextLong(2_000), () -> sim.restart(nd));
                }
                case 8 -> {
                    // The leader of that moment cut off from everyone (its storage still answers).
                    sim.at(at, () -> {
                        int[] groups = new int[sim.n];
                        for (SimNode l : sim.nodes) {
                            if (sim.isLeaderActing(l)) {
                                groups[l.pnn] = 1;
                            }
                        }
                        sim.partition(groups);
                    });
                    sim.at(end, () -> sim.partition(new int[sim.n]));
                }
                case 9 -> {
                    // Asymmetric: one direction of one link drops everything.
                    int a = nd.pnn;
                    int b = (a + 1 + sim.rnd.nextInt(sim.n - 1)) % sim.n;
                    sim.at(at, () -> sim.block(a, b, true));
                    sim.at(end, () -> sim.block(a, b, false));
                }
                case 10 -> {
                    // Flapping: the link between two nodes goes down and up, both ways, until the end.
                    int a = nd.pnn;
                    int b = (a + 1 + sim.rnd.nextInt(sim.n - 1)) % sim.n;
                    boolean down = true;
                    for (long t = at; t < end; t += 200 + sim.rnd.nextLong(2_800)) {
                        boolean d = down;
                        sim.at(t, () -> {
                            sim.block(a, b, d);
                            sim.block(b, a, d);
                        });
                        down = !down;
                    }
                    sim.at(end, () -> {
                        sim.block(a, b, false);
                        sim.block(b, a, false);
                    });
                }
                default -> {
                    double loss = sim.rnd.nextDouble() * 0.5;
                    sim.at(at, () -> sim.lossRate = loss);
                    sim.at(end, () -> sim.lossRate = 0);
                }
            }
        }
    }
}

package org.jctdb.ip;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Test oracle: LCP2 written the slow, obvious way (every cost recomputed by scanning the
 * whole list, as CTDB's C does), to check the cached implementation against.
 */
final class NaiveLcp2 {
    private final IpAddress[] a;
    private final int[] pnn;
    private final boolean[][] ok; // ok[ip][node]
    private final int n;
    private final boolean noTakeover;

    private NaiveLcp2(IpAddress[] a, int[] pnn, boolean[][] ok, int n, boolean noTakeover) {
        this.a = a;
        this.pnn = pnn;
        this.ok = ok;
        this.n = n;
        this.noTakeover = noTakeover;
    }

    static List<Assignment> allocate(AllocationInput in) {
        List<PublicAddress> l = new ArrayList<>();
        for (PublicAddress p : in.addresses()) {
            if (!p.knownOn().isEmpty()) {
                l.add(p);
            }
        }
        l.sort((x, y) -> IpAddress.CTDB_ORDER.compare(x.address(), y.address()));
        int n = in.nodes().size();
        IpAddress[] a = new IpAddress[l.size()];
        int[] pnn = new int[l.size()];
        boolean[][] ok = new boolean[l.size()][n];
        for (int i = 0; i < l.size(); i++) {
            PublicAddress p = l.get(i);
            a[i] = p.address();
            pnn[i] = p.knownOn().contains(p.currentPnn()) ? p.currentPnn() : -1;
            for (int node : p.availableOn()) {
                ok[i][node] = in.nodes().get(node).canHostIps();
            }
        }
        NaiveLcp2 x = new NaiveLcp2(a, pnn, ok, n, in.tunables().noIpTakeover());
        x.run(in.tunables().noIpFailback(), in.forceRebalanceNodes());
        List<Assignment> out = new ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            out.add(new Assignment(a[i], pnn[i]));
        }
        return out;
    }

    private boolean take(int node, int ip) {
        return !noTakeover && ok[ip][node];
    }

    private int sum(int ip, int node) {
        int s = 0;
        for (int j = 0; j < a.length; j++) {
            if (j != ip && pnn[j] == node) {
                s += Lcp2Metric.distanceSquared(a[ip], a[j]);
            }
        }
        return s;
    }

    private static boolean lt(int x, int y) {
        return Integer.compareUnsigned(x, y) < 0;
    }

    private void run(boolean noFailback, java.util.Set<Integer> force) {
        for (int i = 0; i < a.length; i++) {
            if (pnn[i] >= 0 && !ok[i][pnn[i]]) {
                pnn[i] = -1;
            }
        }
        int[] imb = new int[n];
        boolean[] cand = new boolean[n];
        Arrays.fill(cand, true);
        for (int node = 0; node < n; node++) {
            for (int i = 0; i < a.length; i++) {
                if (pnn[i] != node) {
                    continue;
                }
                for (int j = i + 1; j < a.length; j++) {
                    if (pnn[j] == node) {
                        imb[node] += Lcp2Metric.distanceSquared(a[i], a[j]);
                    }
                }
            }
        }
        for (int p : pnn) {
            if (p >= 0) {
                cand[p] = false;
            }
        }
        for (int p : force) {
            cand[p] = true;
        }
        while (true) {
            int mn = -1;
            int mi = -1;
            int md = 0;
            for (int i = 0; i < a.length; i++) {
                if (pnn[i] >= 0) {
                    continue;
                }
                for (int d = 0; d < n; d++) {
                    if (take(d, i) && (mn < 0 || lt(sum(i, d), md))) {
                        mn = d;
                        mi = i;
                        md = sum(i, d);
                    }
                }
            }
            if (mn < 0) {
                break;
            }
            pnn[mi] = mn;
            imb[mn] += md;
        }
        boolean anyCand = false;
        for (boolean c : cand) {
            anyCand |= c;
        }
        if (noFailback || !anyCand) {
            return;
        }
        boolean again = true;
        while (again) {
            again = false;
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (x, y) -> Integer.compareUnsigned(imb[y], imb[x]));
            for (int k = 0; k < n && !again; k++) {
                int src = order[k];
                if (imb[src] == 0) {
                    break;
                }
                int bi = -1;
                int bd = -1;
                int bs = 0;
                int bdi = 0;
                for (int i = 0; i < a.length; i++) {
                    if (pnn[i] != src) {
                        continue;
                    }
                    int sd = sum(i, src);
                    int si = imb[src] - sd;
                    for (int d = 0; d < n; d++) {
                        if (!cand[d] || !take(d, i)) {
                            continue;
                        }
                        int dd = sum(i, d);
                        int di = imb[d] + dd;
                        if (lt(di, imb[src]) && lt(dd, sd) && (bd < 0 || lt(si + di, bs + bdi))) {
                            bi = i;
                            bd = d;
                            bs = si;
                            bdi = di;
                        }
                    }
                }
                if (bd >= 0) {
                    imb[src] = bs;
                    imb[bd] = bdi;
                    pnn[bi] = bd;
                    again = true;
                }
            }
        }
    }
}

package org.jctdb.ip;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Map;

/**
 * Messages of public IP failover between a node and the leader (mesh subsystem "ip"). Every
 * message a leader sends carries its generation; a node refuses one older than the newest it
 * has seen (see docs/design/ip-failover.md).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = IpMessage.Report.class, name = "report"),
    @JsonSubTypes.Type(value = IpMessage.Grant.class, name = "grant"),
    @JsonSubTypes.Type(value = IpMessage.Release.class, name = "release"),
    @JsonSubTypes.Type(value = IpMessage.Take.class, name = "take"),
    @JsonSubTypes.Type(value = IpMessage.Reallocated.class, name = "reallocated"),
    @JsonSubTypes.Type(value = IpMessage.StepDone.class, name = "step-done"),
    @JsonSubTypes.Type(value = IpMessage.Ban.class, name = "ban"),
    @JsonSubTypes.Type(value = IpMessage.Refused.class, name = "refused"),
    @JsonSubTypes.Type(value = IpMessage.VouchRequest.class, name = "vouch-request"),
    @JsonSubTypes.Type(value = IpMessage.Vouch.class, name = "vouch"),
})
public sealed interface IpMessage {

    int from();

    /** Messages only a leader sends, fenced by its generation. */
    sealed interface FromLeader extends IpMessage {
        long generation();
    }

    /**
     * A node to the leader, every report interval: what it hosts and lists, and a request to
     * keep hosting. {@code holdMs} and {@code leaseSeconds} are the node's own timers, from
     * which the leader works out when the node's addresses are surely gone. {@code downIfaces}:
     * interfaces whose link is down here (an address none of whose interfaces is up is not
     * available on this node; one on a down interface moves to another with updateip).
     * {@code incarnation} differs between runs of the node's daemon (report numbers start again);
     * {@code promise}: the grants that keep this node from vouching for others (null: none).
     * Unchanged parts are left out, so that a report costs little at any size: {@code listed} is
     * null when the leader's last grant said it holds version {@code listedVersion} of the list;
     * {@code assignmentGeneration} and {@code assignmentVersion} name the leader's map this node
     * holds, so the grant leaves it out while it is still current.
     */
    record Report(
            int from,
            long seq,
            List<HostedAddress> hosted,
            List<Listed> listed,
            long listedVersion,
            boolean canHost,
            long holdMs,
            long leaseSeconds,
            List<String> downIfaces,
            long incarnation,
            Promise promise,
            long assignmentGeneration,
            long assignmentVersion)
            implements IpMessage {
        public Report {
            hosted = List.copyOf(hosted);
            listed = listed == null ? null : List.copyOf(listed);
            downIfaces = downIfaces == null ? List.of() : List.copyOf(downIfaces);
        }
    }

    /**
     * A node that receives grants promises not to vouch for anyone until {@code promiseMs} after the
     * last one arrived. {@code chainSeq} names the report whose grant began the current unbroken run
     * of such promises, {@code lastGrantSeq} the report of the latest grant received; both are
     * report numbers of the reporting incarnation. The leader, which knows when it sent each grant, learns from them
     * which nodes surely do not vouch, and until when (docs/design/ip-failover.md, "Without a leader").
     */
    record Promise(long chainSeq, long lastGrantSeq) {}

    /**
     * A node without its leader's grants asks every peer it reaches to vouch for its hold: with
     * vouches of a majority of the configured nodes (itself included) it keeps what it hosts until
     * holdMs after it sent this request, but takes nothing new. {@code hosted} names the addresses
     * it keeps: a node vouches for none that it hosts itself or that its leader's latest map places on
     * it. {@code basis}: the leader whose grant the hold rests on (-1: none); only a node
     * whose own latest grant came from that leader vouches.
     */
    record VouchRequest(int from, long seq, List<String> hosted, int basis) implements IpMessage {
        public VouchRequest {
            hosted = hosted == null ? List.of() : List.copyOf(hosted);
        }
    }

    /** The answer to {@code seq}: {@code given} only by a node that is not bound by a promise. */
    record Vouch(int from, long seq, boolean given) implements IpMessage {}

    /** One line of the node's public_addresses. */
    record Listed(String ip, int maskBits, List<String> ifaces) {
        public Listed {
            ifaces = List.copyOf(ifaces);
        }
    }

    /**
     * The leader answers report {@code seq}: the node may keep its addresses until holdMs after
     * it sent that report. {@code assignment} is the leader's map of address to node after its last
     * finished run, version {@code assignmentVersion} (null: the node's report named that version
     * already); {@code run} is the newest run it has started (a take of an older run that this
     * assignment gives to another node is stale). {@code listedVersion}: the version of the node's
     * list of addresses the leader holds (-1: none, send it whole). {@code idle}: no node lists a
     * public address, so the node may report only every idle report period (or at once on a change).
     */
    record Grant(
            int from,
            long generation,
            long seq,
            Map<String, Integer> assignment,
            long assignmentVersion,
            long run,
            long listedVersion,
            boolean idle)
            implements FromLeader {
        public Grant {
            assignment = assignment == null ? null : Map.copyOf(assignment);
        }
    }

    /** Release these addresses (releaseip events), then answer with StepDone. */
    record Release(int from, long generation, long run, List<HostedAddress> addresses) implements FromLeader {
        public Release {
            addresses = List.copyOf(addresses);
        }
    }

    /**
     * Move these hosted addresses to another interface (updateip events), then take these
     * addresses (takeip events; the node picks the interface), then answer.
     */
    record Take(int from, long generation, long run, List<Listed> addresses, List<Move> moves) implements FromLeader {
        public Take {
            addresses = List.copyOf(addresses);
            moves = moves == null ? List.of() : List.copyOf(moves);
        }
    }

    /** An address that stays on its node but moves from interface {@code from} to {@code to}. */
    record Move(String ip, int maskBits, String fromIface, String toIface) {}

    /** Run the ipreallocated event, then answer. */
    record Reallocated(int from, long generation, long run) implements FromLeader {}

    /** Ban yourself for {@code seconds}: you failed takeover runs repeatedly. */
    record Ban(int from, long generation, int seconds) implements FromLeader {}

    /** A node finished a step of run {@code run}; {@code hosted} is what it hosts now. */
    record StepDone(
            int from, long generation, long run, Phase phase, boolean ok, String detail, List<HostedAddress> hosted)
            implements IpMessage {
        public StepDone {
            hosted = List.copyOf(hosted);
        }
    }

    /** The node refused a leader message of an older generation than it has seen. */
    record Refused(int from, long refusedGeneration, long seenGeneration) implements IpMessage {}

    enum Phase {
        RELEASE,
        TAKE,
        REALLOCATED
    }
}

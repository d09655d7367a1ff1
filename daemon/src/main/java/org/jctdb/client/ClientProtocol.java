package org.jctdb.client;

import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.nio.file.Path;
import org.jctdb.config.DatabaseConf;
import org.jctdb.config.Installation;
import org.jctdb.config.NodeConfig;
import org.jctdb.database.DatabaseDirectories;
import org.jctdb.database.LocalDatabases;
import org.jctdb.database.LockWaiter;
import org.jctdb.database.TdbFiles;
import org.jctdb.database.TdbLibrary;
import org.jctdb.protocol.ctdb.CtdbCodec;

/**
 * The database half of the node, put together: libtdb, the node's databases, the database
 * thread, the CTDB client socket. The daemon creates one and closes it.
 */
public final class ClientProtocol implements AutoCloseable {
    private final LocalDatabases databases;
    private final CtdbService service;
    private final ClientServer server;

    private ClientProtocol(LocalDatabases databases, CtdbService service, ClientServer server) {
        this.databases = databases;
        this.service = service;
        this.server = server;
    }

    /** CTDB's directories from ctdb.conf, else volatile/, persistent/, state/ under the node's var directory. */
    public static DatabaseDirectories directories(NodeConfig config) {
        DatabaseConf c = config.conf().database();
        DatabaseDirectories d = DatabaseDirectories.under(config.layout().varDir());
        return new DatabaseDirectories(
                c.volatileDir().orElse(d.volatileDir()),
                c.persistentDir().orElse(d.persistentDir()),
                c.stateDir().orElse(d.stateDir()));
    }

    /**
     * The largest packet a client may send. Refused from its declared length, before anything is
     * buffered: bin/jctdbd caps direct memory at 16 MiB, and a 60 MiB length once ran the
     * cumulation buffer into it. smbd's largest packets (persistent transactions) are far smaller.
     */
    public static final int MAX_CLIENT_PACKET = 4 << 20;

    /**
     * Starts it on {@code io}, the daemon's I/O thread (one epoll event loop, also the mesh's): the client
     * socket and every database call run there, so a record migration step needs no thread hand-off.
     */
    public static ClientProtocol start(
            NodeConfig config, Installation installation, EventLoopGroup io, CtdbService.Host host) throws IOException {
        TdbFiles files = new TdbFiles(TdbLibrary.load(), installation.helper("libjctdb_tdb.so"));
        LocalDatabases databases = new LocalDatabases(files, directories(config), config.myPnn(), (int)
                config.tunables().get("DatabaseHashSize"));
        DatabaseWorker worker = new DatabaseWorker(new LockWaiter(installation.helper("jctdb_lock_wait")), io.next());
        CtdbService service = new CtdbService(
                new CtdbCodec(MAX_CLIENT_PACKET),
                host,
                databases,
                worker,
                new Controls.Settings(config.conf().port()));
        service.attachKeptPersistent();
        ClientServer server;
        try {
            server = new ClientServer(config.ctdbdSocket(), service, io);
        } catch (IOException | RuntimeException e) {
            service.close();
            databases.close();
            throw e;
        }
        return new ClientProtocol(databases, service, server);
    }

    public CtdbService service() {
        return service;
    }

    public Path socketPath() {
        return server.path();
    }

    @Override
    public void close() {
        server.close();
        service.close();
        databases.close();
    }
}

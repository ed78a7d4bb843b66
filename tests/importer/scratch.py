"""A scratch MariaDB database per test run, laid out as DiamanteDesk 1.0.x or 2.x stored its data."""

# The layout follows the documented columns of the original: those the importer reads, and a few it must
# ignore. The sample rows (sample.py) are this project's own, each there for a case the importer handles.

import os
import uuid

import pymysql

SERVER = {
    "host": os.environ.get("IMPORT_TEST_MYSQL_HOST", "127.0.0.1"),
    "port": int(os.environ.get("IMPORT_TEST_MYSQL_PORT", "3306")),
    "user": os.environ.get("IMPORT_TEST_MYSQL_USER", "root"),
    "password": os.environ.get("IMPORT_TEST_MYSQL_PASSWORD", ""),
}
TABLE_OPTIONS = "DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci ENGINE = InnoDB"


def _tables(v2):
    """CREATE TABLE statements; `v2` adds what the 2.x migrations add."""
    only_2x = (lambda text: text) if v2 else (lambda text: "")
    return [
        """CREATE TABLE oro_user (
            id INT AUTO_INCREMENT NOT NULL PRIMARY KEY, organization_id INT DEFAULT NULL,
            username VARCHAR(255) NOT NULL UNIQUE, email VARCHAR(255) NOT NULL UNIQUE,
            first_name VARCHAR(255) DEFAULT NULL, last_name VARCHAR(255) DEFAULT NULL, enabled TINYINT(1) NOT NULL,
            salt VARCHAR(255) NOT NULL, password VARCHAR(255) NOT NULL, last_login DATETIME DEFAULT NULL,
            login_count INT UNSIGNED DEFAULT 0 NOT NULL, createdAt DATETIME NOT NULL, updatedAt DATETIME NOT NULL)""",
        """CREATE TABLE oro_user_api (
            id INT AUTO_INCREMENT NOT NULL PRIMARY KEY, organization_id INT DEFAULT NULL, user_id INT NOT NULL,
            api_key VARCHAR(255) NOT NULL UNIQUE,
            FOREIGN KEY (user_id) REFERENCES oro_user (id) ON DELETE CASCADE)""",
        """CREATE TABLE oro_tag_tag (
            id INT AUTO_INCREMENT NOT NULL PRIMARY KEY, user_owner_id INT DEFAULT NULL, name VARCHAR(50) NOT NULL,
            created DATETIME NOT NULL, updated DATETIME NOT NULL)""",
        """CREATE TABLE oro_tag_tagging (
            id INT AUTO_INCREMENT NOT NULL PRIMARY KEY, tag_id INT DEFAULT NULL, user_owner_id INT DEFAULT NULL,
            created DATETIME NOT NULL, alias VARCHAR(100) NOT NULL, entity_name VARCHAR(100) NOT NULL,
            record_id INT NOT NULL, FOREIGN KEY (tag_id) REFERENCES oro_tag_tag (id) ON DELETE CASCADE)""",
        f"""CREATE TABLE diamante_api_user (
            id INT AUTO_INCREMENT NOT NULL PRIMARY KEY, email VARCHAR(255) NOT NULL UNIQUE,
            password VARCHAR(255) NOT NULL, salt VARCHAR(255) DEFAULT NULL, is_active TINYINT(1) NOT NULL,
            hash VARCHAR(255) NOT NULL, hash_expiration_time INT NOT NULL
            {only_2x(", diamante_user INT DEFAULT NULL UNIQUE")})""",
        f"""CREATE TABLE diamante_user (
            id INT AUTO_INCREMENT NOT NULL PRIMARY KEY, email VARCHAR(255) NOT NULL UNIQUE,
            first_name VARCHAR(255) DEFAULT NULL, last_name VARCHAR(255) DEFAULT NULL
            {only_2x(", api_user INT DEFAULT NULL UNIQUE, is_deleted TINYINT(1) DEFAULT 0 NOT NULL")}
            {only_2x(", created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL")})""",
        f"""CREATE TABLE diamante_branch (
            id INT AUTO_INCREMENT NOT NULL PRIMARY KEY, default_assignee_id INT DEFAULT NULL,
            name VARCHAR(255) NOT NULL, description TEXT DEFAULT NULL, branch_key VARCHAR(255) NOT NULL UNIQUE,
            logo VARCHAR(255) NOT NULL, createdAt DATETIME NOT NULL, updatedAt DATETIME NOT NULL
            {only_2x(", number INT DEFAULT 1 NOT NULL")},
            FOREIGN KEY (default_assignee_id) REFERENCES oro_user (id) ON DELETE SET NULL)""",
        f"""CREATE TABLE diamante_ticket (
            id INT AUTO_INCREMENT NOT NULL PRIMARY KEY, assignee_id INT DEFAULT NULL, branch_id INT DEFAULT NULL,
            unique_id VARCHAR(255) NOT NULL, number INT NOT NULL, subject VARCHAR(255) NOT NULL,
            description LONGTEXT NOT NULL, status VARCHAR(255) NOT NULL, priority VARCHAR(255) NOT NULL,
            reporter_id VARCHAR(255) NOT NULL, created_at DATETIME NOT NULL,
            updated_at DATETIME {"DEFAULT NULL" if v2 else "NOT NULL"}, source VARCHAR(255) NOT NULL
            {only_2x(", status_updated_since DATETIME DEFAULT NULL, assigned_since DATETIME DEFAULT NULL")}
            {only_2x(", reporter_email LONGTEXT NOT NULL")},
            FOREIGN KEY (assignee_id) REFERENCES oro_user (id) ON DELETE SET NULL,
            FOREIGN KEY (branch_id) REFERENCES diamante_branch (id) ON DELETE CASCADE)""",
        # 1.0 keeps no index and no foreign key on ticket_id: rows outlive their ticket.
        f"""CREATE TABLE diamante_ticket_history (
            id INT AUTO_INCREMENT NOT NULL PRIMARY KEY, ticket_id INT {"DEFAULT NULL" if v2 else "NOT NULL"},
            ticket_key VARCHAR(255) NOT NULL
            {only_2x(", FOREIGN KEY (ticket_id) REFERENCES diamante_ticket (id) ON DELETE CASCADE")})""",
        """CREATE TABLE diamante_comment (
            id INT AUTO_INCREMENT NOT NULL PRIMARY KEY, ticket_id INT DEFAULT NULL, content LONGTEXT NOT NULL,
            author_id VARCHAR(255) NOT NULL, created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL,
            private TINYINT(1) NOT NULL,
            FOREIGN KEY (ticket_id) REFERENCES diamante_ticket (id) ON DELETE CASCADE)""",
        """CREATE TABLE diamante_attachment (
            id INT AUTO_INCREMENT NOT NULL PRIMARY KEY, file VARCHAR(255) NOT NULL, hash VARCHAR(255) NOT NULL,
            created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL)""",
        """CREATE TABLE diamante_ticket_attachments (
            ticket_id INT NOT NULL, attachment_id INT NOT NULL, PRIMARY KEY (ticket_id, attachment_id),
            FOREIGN KEY (ticket_id) REFERENCES diamante_ticket (id) ON DELETE CASCADE,
            FOREIGN KEY (attachment_id) REFERENCES diamante_attachment (id) ON DELETE CASCADE)""",
        """CREATE TABLE diamante_comment_attachments (
            comment_id INT NOT NULL, attachment_id INT NOT NULL, PRIMARY KEY (comment_id, attachment_id),
            FOREIGN KEY (comment_id) REFERENCES diamante_comment (id) ON DELETE CASCADE,
            FOREIGN KEY (attachment_id) REFERENCES diamante_attachment (id) ON DELETE CASCADE)""",
        *(
            [
                """CREATE TABLE diamante_watcher_list (
                    id INT AUTO_INCREMENT NOT NULL PRIMARY KEY, ticket_id INT DEFAULT NULL,
                    user_type VARCHAR(255) NOT NULL,
                    FOREIGN KEY (ticket_id) REFERENCES diamante_ticket (id) ON DELETE CASCADE)"""
            ]
            if v2
            else []
        ),
    ]


def server_connection(database=None):
    return pymysql.connect(**SERVER, database=database, charset="utf8mb4", autocommit=True)


class ScratchDatabase:
    """An empty database of its own on the test MariaDB server, dropped by `drop()`."""

    def __init__(self, version="1.0.x", name=None):
        self.version = version
        self.name = name or f"desk_import_test_{os.getpid()}_{uuid.uuid4().hex[:10]}"
        with server_connection() as connection, connection.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE `{self.name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        self.connection = server_connection(self.name)
        for statement in _tables(version == "2.x"):
            self.execute(f"{statement} {TABLE_OPTIONS}")

    @property
    def url(self):
        password = f":{SERVER['password']}" if SERVER["password"] else ""
        return f"mysql://{SERVER['user']}{password}@{SERVER['host']}:{SERVER['port']}/{self.name}"

    def execute(self, sql, params=None):
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)

    def insert(self, table, rows):
        """Insert dicts (all with the same keys) into a table."""
        if not rows:
            return
        columns = list(rows[0])
        marks = ", ".join(["%s"] * len(columns))
        names = ", ".join(f"`{column}`" for column in columns)
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO `{table}` ({names}) VALUES ({marks})",
                [[row[c] for c in columns] for row in rows],
            )

    def drop(self):
        self.connection.close()
        with server_connection() as connection, connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{self.name}`")

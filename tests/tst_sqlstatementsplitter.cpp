// The SQL console's statement splitter and tokenizer: semicolons inside strings, E'' strings,
// dollar quotes, "identifiers" and nested comments do not split; the statement under the
// cursor and the selection; EXPLAIN rewritten as FORMAT JSON.
#include "sqlstatementsplitter.h"
#include "sqltokenizer.h"

#include <QTest>

using namespace ccpm;

class TestSqlStatementSplitter : public QObject {
    Q_OBJECT
private slots:
    void split_data();
    void split();
    void offsetsMapBack();
    void statementAt_data();
    void statementAt();
    void selection();
    void tokenizerCarriesStateAcrossLines();
    void leadingWords();
    void explainAsJson_data();
    void explainAsJson();
};

void TestSqlStatementSplitter::split_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QStringList>("statements");
    QTest::newRow("two") << "select 1; select 2;" << QStringList{"select 1", "select 2"};
    QTest::newRow("no final semicolon") << "select 1;\nselect 2\n" << QStringList{"select 1", "select 2"};
    QTest::newRow("string") << "select 'a;b'; select 2" << QStringList{"select 'a;b'", "select 2"};
    QTest::newRow("doubled quote") << "select 'it''s; fine'; x" << QStringList{"select 'it''s; fine'", "x"};
    QTest::newRow("E string backslash") << R"(select E'a\';b'; y)" << QStringList{R"(select E'a\';b')", "y"};
    QTest::newRow("standard string backslash")
        << R"(select 'a\'; select 2)" << QStringList{R"(select 'a\')", "select 2"};
    QTest::newRow("identifier") << R"(select 1 as "a;""b"; z)" << QStringList{R"(select 1 as "a;""b")", "z"};
    QTest::newRow("dollar") << "select $$a;b$$; w" << QStringList{"select $$a;b$$", "w"};
    QTest::newRow("dollar tag") << "do $fn$ begin; perform 1; end $fn$; v"
                                << QStringList{"do $fn$ begin; perform 1; end $fn$", "v"};
    QTest::newRow("dollar tag inside other tag")
        << "select $a$ $b$ ; $b$ ; $a$; u" << QStringList{"select $a$ $b$ ; $b$ ; $a$", "u"};
    QTest::newRow("parameter is not a dollar quote")
        << "select $1; select $2" << QStringList{"select $1", "select $2"};
    QTest::newRow("identifier with dollar") << "select a$b; c" << QStringList{"select a$b", "c"};
    QTest::newRow("line comment") << "select 1 -- ; not here\n; t" << QStringList{"select 1", "t"};
    QTest::newRow("nested block comment")
        << "select /* a /* b; */ c; */ 1; s" << QStringList{"select /* a /* b; */ c; */ 1", "s"};
    QTest::newRow("only comments") << "-- nothing\n/* here */ ;  ; select 3" << QStringList{"select 3"};
    QTest::newRow("leading comment kept") << "-- why\nselect 4" << QStringList{"-- why\nselect 4"};
    QTest::newRow("empty") << "  \n " << QStringList{};
    QTest::newRow("unterminated string") << "select 'abc; def" << QStringList{"select 'abc; def"};
}

void TestSqlStatementSplitter::split()
{
    QFETCH(QString, script);
    QFETCH(QStringList, statements);
    QStringList texts;
    for (const SqlStatement &statement : SqlStatementSplitter::split(script))
        texts << statement.text;
    QCOMPARE(texts, statements);
}

void TestSqlStatementSplitter::offsetsMapBack()
{
    const QString script = "  select 1;\n\n  select * frm x ;";
    const QList<SqlStatement> statements = SqlStatementSplitter::split(script);
    QCOMPARE(statements.size(), 2);
    for (const SqlStatement &statement : statements)
        QCOMPARE(script.mid(statement.start, statement.end - statement.start), statement.text);
    // PostgreSQL reports "frm" at position 10 of "select * frm x": start + 10 - 1 in the script.
    QCOMPARE(script.mid(statements.at(1).start + 10 - 1, 3), QString("frm"));
}

void TestSqlStatementSplitter::statementAt_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<int>("position");
    QTest::addColumn<QString>("expected");
    const QString script = "select 1;\n\nselect 2; select 3;\n";
    QTest::newRow("start") << script << 0 << "select 1";
    QTest::newRow("inside first") << script << 4 << "select 1";
    QTest::newRow("after first semicolon") << script << 9 << "select 1";
    QTest::newRow("blank line after") << script << 10 << "select 1";
    QTest::newRow("start of second") << script << 11 << "select 2";
    QTest::newRow("between on the same line") << script << 20 << "select 3";
    QTest::newRow("end of text") << script << int(script.size()) << "select 3";
    QTest::newRow("leading blank") << "\n\n  select 9" << 0 << "select 9";
    QTest::newRow("nothing") << " -- only\n" << 3 << "";
}

void TestSqlStatementSplitter::statementAt()
{
    QFETCH(QString, script);
    QFETCH(int, position);
    QFETCH(QString, expected);
    const SqlStatement statement = SqlStatementSplitter::statementAt(script, position);
    QCOMPARE(statement.text, expected);
    QCOMPARE(statement.isNull(), expected.isEmpty());
}

void TestSqlStatementSplitter::selection()
{
    const QString script = "select 1;\n  select 2 ;  \nselect 3";
    const int from = int(script.indexOf("\n")) + 1;
    const int to = int(script.lastIndexOf("\n"));
    const SqlStatement statement = SqlStatementSplitter::selection(script, to, from); // reversed works too
    QCOMPARE(statement.text, QString("select 2"));
    QCOMPARE(script.mid(statement.start, statement.text.size()), QString("select 2"));
    QVERIFY(SqlStatementSplitter::selection(script, 8, 10).isNull()); // ";\n"
}

void TestSqlStatementSplitter::tokenizerCarriesStateAcrossLines()
{
    // Given a comment and a dollar quote that span lines, tokenized line by line
    SqlLexState state;
    QList<SqlToken> tokens = SqlTokenizer::tokenize(u"select /* a /* b */", state);
    QCOMPARE(state.mode, SqlLexState::Mode::BlockComment);
    QCOMPARE(state.commentDepth, 1);
    tokens = SqlTokenizer::tokenize(u"still */ 42 $q$ text", state);
    QCOMPARE(tokens.first().kind, SqlToken::Kind::Comment);
    QCOMPARE(tokens.first().length, 8);
    QCOMPARE(tokens.at(2).kind, SqlToken::Kind::Number);
    QCOMPARE(state.mode, SqlLexState::Mode::DollarString);
    QCOMPARE(state.dollarTag, QString("q"));
    tokens = SqlTokenizer::tokenize(u"$$ not the end $q$ 'x", state);
    QCOMPARE(tokens.first().kind, SqlToken::Kind::String);
    QCOMPARE(tokens.first().length, 18);
    QCOMPARE(state.mode, SqlLexState::Mode::String);
    tokens = SqlTokenizer::tokenize(u"y' \"Id", state);
    QCOMPARE(state.mode, SqlLexState::Mode::QuotedIdentifier);
    tokens = SqlTokenizer::tokenize(u"\"", state);
    QCOMPARE(state, SqlLexState{});
    QVERIFY(SqlTokenizer::isKeyword(u"select"));
    QVERIFY(!SqlTokenizer::isKeyword(u"tasks"));
}

void TestSqlStatementSplitter::leadingWords()
{
    QCOMPARE(SqlStatementSplitter::leadingWords("/* c */ explain  analyze select 1"),
             QStringList({"EXPLAIN", "ANALYZE"}));
    QCOMPARE(SqlStatementSplitter::leadingWords("(select 1) union select 2", 1), QStringList{"SELECT"});
    QCOMPARE(SqlStatementSplitter::leadingWords("update t set a = 1", 1), QStringList{"UPDATE"});
}

void TestSqlStatementSplitter::explainAsJson_data()
{
    QTest::addColumn<QString>("statement");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << "explain select 1"
                           << "EXPLAIN (FORMAT JSON) select 1";
    QTest::newRow("analyze") << "EXPLAIN ANALYZE VERBOSE select * from t"
                             << "EXPLAIN (ANALYZE, VERBOSE, FORMAT JSON) select * from t";
    QTest::newRow("options") << "explain (analyze, buffers true, format text) select 1"
                             << "EXPLAIN (analyze, buffers true, FORMAT JSON) select 1";
    QTest::newRow("already json") << "explain (format json) select 1"
                                  << "EXPLAIN (FORMAT JSON) select 1";
    QTest::newRow("yaml is left alone") << "explain (format yaml) select 1"
                                        << "";
    QTest::newRow("not explain") << "select 'explain'"
                                 << "";
    QTest::newRow("explain alone") << "explain"
                                   << "";
}

void TestSqlStatementSplitter::explainAsJson()
{
    QFETCH(QString, statement);
    QFETCH(QString, expected);
    QCOMPARE(SqlStatementSplitter::explainAsJson(statement), expected);
}

QTEST_APPLESS_MAIN(TestSqlStatementSplitter)
#include "tst_sqlstatementsplitter.moc"

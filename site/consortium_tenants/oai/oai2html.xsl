<?xml version="1.0" encoding="UTF-8"?>
<!-- An OAI-PMH answer as a page for people (consortium_tenants.oai.views): applied on
     the server to what a harvester gets, for requests that prefer text/html. The
     labels come in the page's language as parameters. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:oai="http://www.openarchives.org/OAI/2.0/"
    exclude-result-prefixes="oai">
  <xsl:output method="html" encoding="UTF-8" indent="no"
      doctype-system="about:legacy-compat"/>

  <xsl:param name="lang"/>
  <xsl:param name="title"/>
  <xsl:param name="intro"/>
  <xsl:param name="l_identify"/>
  <xsl:param name="l_sets"/>
  <xsl:param name="l_formats"/>
  <xsl:param name="l_identifiers"/>
  <xsl:param name="l_records"/>
  <xsl:param name="l_request"/>
  <xsl:param name="l_date"/>
  <xsl:param name="l_error"/>
  <xsl:param name="l_identifier"/>
  <xsl:param name="l_datestamp"/>
  <xsl:param name="l_set"/>
  <xsl:param name="l_deleted"/>
  <xsl:param name="l_next"/>
  <xsl:param name="l_total"/>
  <xsl:param name="l_schema"/>
  <xsl:param name="l_namespace"/>
  <xsl:param name="l_metadata"/>

  <xsl:variable name="base" select="/oai:OAI-PMH/oai:request"/>
  <xsl:variable name="verb" select="/oai:OAI-PMH/oai:request/@verb"/>

  <xsl:template match="/">
    <html lang="{$lang}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/></title>
        <style>
          body { margin: 0; font-family: "Helvetica Neue", Arial, Helvetica, sans-serif;
                 color: #1b1c1d; background: #f4f6f9; line-height: 1.5; }
          header { background: #1d4e89; color: #fff; padding: 1rem 1.5rem; }
          header h1 { margin: 0; font-size: 1.4rem; }
          header p { margin: .3rem 0 0; }
          nav ul { list-style: none; margin: 0; padding: .5rem 1.5rem; background: #fff;
                   display: flex; flex-wrap: wrap; gap: .3rem 1.2rem;
                   border-bottom: 1px solid #d4d9e0; }
          main { max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
          section { background: #fff; margin: 1rem 0; padding: 1rem 1.2rem;
                    border-top: 3px solid #1d4e89; overflow-wrap: anywhere; }
          h2 { font-size: 1.15rem; margin: 0 0 .5rem; }
          dl { display: grid; grid-template-columns: minmax(6rem, max-content) 1fr;
               gap: .2rem 1rem; margin: 0; }
          dt { font-weight: bold; }
          dd { margin: 0; }
          a { color: #1d4e89; }
          .error { border-top-color: #9f3a38; }
          .deleted { color: #6b4a00; font-weight: bold; }
        </style>
      </head>
      <body>
        <header>
          <h1><xsl:value-of select="$title"/></h1>
          <p><xsl:value-of select="$intro"/></p>
        </header>
        <nav>
          <ul>
            <li><a href="{$base}?verb=Identify"><xsl:value-of select="$l_identify"/></a></li>
            <li><a href="{$base}?verb=ListSets"><xsl:value-of select="$l_sets"/></a></li>
            <li><a href="{$base}?verb=ListMetadataFormats"><xsl:value-of select="$l_formats"/></a></li>
            <li><a href="{$base}?verb=ListIdentifiers&amp;metadataPrefix=oai_dc"><xsl:value-of select="$l_identifiers"/></a></li>
            <li><a href="{$base}?verb=ListRecords&amp;metadataPrefix=oai_dc"><xsl:value-of select="$l_records"/></a></li>
          </ul>
        </nav>
        <main>
          <p>
            <xsl:value-of select="$l_request"/>: <code><xsl:value-of select="$verb"/>
            <xsl:for-each select="$base/@*[name() != 'verb']">
              <xsl:text> </xsl:text><xsl:value-of select="name()"/>=<xsl:value-of select="."/>
            </xsl:for-each></code>
            · <xsl:value-of select="$l_date"/>: <xsl:value-of select="/oai:OAI-PMH/oai:responseDate"/>
          </p>
          <xsl:apply-templates select="/oai:OAI-PMH/oai:error"/>
          <xsl:apply-templates select="/oai:OAI-PMH/oai:Identify"/>
          <xsl:apply-templates select="/oai:OAI-PMH/oai:ListSets/oai:set"/>
          <xsl:apply-templates select="/oai:OAI-PMH/oai:ListMetadataFormats/oai:metadataFormat"/>
          <xsl:apply-templates select="/oai:OAI-PMH/oai:ListIdentifiers/oai:header"/>
          <xsl:apply-templates select="/oai:OAI-PMH/*/oai:record"/>
          <xsl:apply-templates select="/oai:OAI-PMH/*/oai:resumptionToken"/>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="oai:error">
    <section class="error">
      <h2><xsl:value-of select="$l_error"/>: <code><xsl:value-of select="@code"/></code></h2>
      <p><xsl:value-of select="."/></p>
    </section>
  </xsl:template>

  <xsl:template match="oai:Identify">
    <section>
      <h2><xsl:value-of select="$l_identify"/></h2>
      <dl>
        <xsl:for-each select="*[not(self::oai:description)]">
          <dt><xsl:value-of select="local-name()"/></dt>
          <dd><xsl:value-of select="."/></dd>
        </xsl:for-each>
      </dl>
    </section>
  </xsl:template>

  <xsl:template match="oai:set">
    <section>
      <h2><xsl:value-of select="oai:setName"/></h2>
      <dl>
        <dt><xsl:value-of select="$l_set"/></dt>
        <dd><a href="{$base}?verb=ListRecords&amp;metadataPrefix=oai_dc&amp;set={oai:setSpec}"><xsl:value-of select="oai:setSpec"/></a></dd>
      </dl>
    </section>
  </xsl:template>

  <xsl:template match="oai:metadataFormat">
    <section>
      <h2><a href="{$base}?verb=ListRecords&amp;metadataPrefix={oai:metadataPrefix}"><xsl:value-of select="oai:metadataPrefix"/></a></h2>
      <dl>
        <dt><xsl:value-of select="$l_schema"/></dt><dd><xsl:value-of select="oai:schema"/></dd>
        <dt><xsl:value-of select="$l_namespace"/></dt><dd><xsl:value-of select="oai:metadataNamespace"/></dd>
      </dl>
    </section>
  </xsl:template>

  <xsl:template match="oai:ListIdentifiers/oai:header" priority="2">
    <section><xsl:call-template name="header-fields"/></section>
  </xsl:template>

  <xsl:template match="oai:header">
    <xsl:call-template name="header-fields"/>
  </xsl:template>

  <xsl:template name="header-fields">
    <dl>
      <dt><xsl:value-of select="$l_identifier"/></dt>
      <dd>
        <a href="{$base}?verb=GetRecord&amp;metadataPrefix=oai_dc&amp;identifier={oai:identifier}"><xsl:value-of select="oai:identifier"/></a>
        <xsl:if test="@status = 'deleted'"><xsl:text> </xsl:text><span class="deleted">(<xsl:value-of select="$l_deleted"/>)</span></xsl:if>
      </dd>
      <dt><xsl:value-of select="$l_datestamp"/></dt><dd><xsl:value-of select="oai:datestamp"/></dd>
      <xsl:if test="oai:setSpec">
        <dt><xsl:value-of select="$l_set"/></dt>
        <dd><xsl:for-each select="oai:setSpec"><xsl:if test="position() &gt; 1">, </xsl:if><xsl:value-of select="."/></xsl:for-each></dd>
      </xsl:if>
    </dl>
  </xsl:template>

  <xsl:template match="oai:record">
    <section>
      <h2>
        <xsl:choose>
          <xsl:when test="oai:metadata//*[local-name() = 'title']">
            <xsl:value-of select="(oai:metadata//*[local-name() = 'title'])[1]"/>
          </xsl:when>
          <xsl:otherwise><xsl:value-of select="oai:header/oai:identifier"/></xsl:otherwise>
        </xsl:choose>
      </h2>
      <xsl:apply-templates select="oai:header"/>
      <xsl:if test="oai:metadata">
        <h3><xsl:value-of select="$l_metadata"/></h3>
        <dl>
          <xsl:for-each select="oai:metadata/*/*">
            <dt><xsl:value-of select="local-name()"/></dt>
            <dd><xsl:value-of select="normalize-space(.)"/></dd>
          </xsl:for-each>
        </dl>
      </xsl:if>
    </section>
  </xsl:template>

  <xsl:template match="oai:resumptionToken">
    <section>
      <xsl:if test="@completeListSize">
        <p><xsl:value-of select="$l_total"/>: <xsl:value-of select="@completeListSize"/></p>
      </xsl:if>
      <xsl:if test="normalize-space(.)">
        <p><a rel="next" href="{$base}?verb={$verb}&amp;resumptionToken={.}"><xsl:value-of select="$l_next"/></a></p>
      </xsl:if>
    </section>
  </xsl:template>
</xsl:stylesheet>

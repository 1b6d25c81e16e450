<?php
/**
 * Plugin Name: SEO FR meta
 * Description: Lets the SEO FR Slack bot fill the Yoast SEO and Rank Math fields of a post through the REST API, and prints its NewsArticle structured data.
 * Version: 1.1.0
 * License: MIT
 *
 * A must-use plugin: copy this one file into wp-content/mu-plugins/ (create the folder if needed).
 * It registers the SEO plugins' meta keys for posts with show_in_rest, so that
 * POST /wp-json/wp/v2/posts can write them in "meta". Keys starting with "_" are protected:
 * WordPress only lets the REST API write them when an auth_callback allows it; ours lets
 * exactly the users who may edit that post.
 *
 * It also registers "seo_fr_news_jsonld" (schema.org NewsArticle as JSON, written by the bot) and
 * prints it in the head of the published post, with WordPress's own permalink and dates. When
 * Yoast SEO or Rank Math is active they print the page's schema themselves: Yoast's Article piece
 * is then typed NewsArticle, and ours is not printed twice.
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

function seo_fr_meta_keys() {
	return array(
		'_yoast_wpseo_focuskw',
		'_yoast_wpseo_title',
		'_yoast_wpseo_metadesc',
		'rank_math_focus_keyword',
		'rank_math_title',
		'rank_math_description',
	);
}

function seo_fr_meta_register() {
	foreach ( seo_fr_meta_keys() as $key ) {
		register_post_meta(
			'post',
			$key,
			array(
				'type'              => 'string',
				'single'            => true,
				'show_in_rest'      => true,
				'sanitize_callback' => 'sanitize_text_field',
				'auth_callback'     => function ( $allowed, $meta_key, $post_id ) {
					return current_user_can( 'edit_post', $post_id );
				},
			)
		);
	}
}
add_action( 'init', 'seo_fr_meta_register' );

function seo_fr_news_sanitize( $value ) {
	$data = json_decode( (string) $value, true );
	if ( ! is_array( $data ) || ( $data['@type'] ?? '' ) !== 'NewsArticle' ) {
		return '';
	}
	return wp_json_encode( $data, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_HEX_TAG | JSON_HEX_AMP );
}

function seo_fr_news_register() {
	register_post_meta(
		'post',
		'seo_fr_news_jsonld',
		array(
			'type'              => 'string',
			'single'            => true,
			'show_in_rest'      => true,
			'sanitize_callback' => 'seo_fr_news_sanitize',
			'auth_callback'     => function ( $allowed, $meta_key, $post_id ) {
				return current_user_can( 'edit_post', $post_id );
			},
		)
	);
}
add_action( 'init', 'seo_fr_news_register' );

function seo_fr_news_head() {
	if ( ! is_singular( 'post' ) || defined( 'WPSEO_VERSION' ) || defined( 'RANK_MATH_VERSION' ) ) {
		return;
	}
	$post = get_queried_object();
	$data = json_decode( (string) get_post_meta( $post->ID, 'seo_fr_news_jsonld', true ), true );
	if ( ! is_array( $data ) ) {
		return;
	}
	$data['url']              = get_permalink( $post );
	$data['mainEntityOfPage'] = array( '@type' => 'WebPage', '@id' => get_permalink( $post ) );
	$data['datePublished']    = get_the_date( 'c', $post );
	$data['dateModified']     = get_the_modified_date( 'c', $post );
	echo '<script type="application/ld+json">' . wp_json_encode( $data, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_HEX_TAG | JSON_HEX_AMP ) . "</script>\n";
}
add_action( 'wp_head', 'seo_fr_news_head' );

add_filter(
	'wpseo_schema_article_type',
	function ( $type, $indexable = null ) {
		$id = is_object( $indexable ) && isset( $indexable->object_id ) ? (int) $indexable->object_id : 0;
		if ( $id && get_post_meta( $id, 'seo_fr_news_jsonld', true ) ) {
			return 'NewsArticle';
		}
		return $type;
	},
	10,
	2
);
